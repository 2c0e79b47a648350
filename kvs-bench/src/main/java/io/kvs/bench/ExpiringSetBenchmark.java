package io.kvs.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * set_with_expiry against set: one set of a random key among 2^16 (value {@code "value"}) with
 * an expiry an hour away, and the same without one, on the kvs engines (no peer has a per-key
 * expiry in its default configuration). The difference is what an expiry costs a write.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(2)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
public class ExpiringSetBenchmark {

    private static final int KEYS = 1 << 16;
    private static final long HOUR_MILLIS = 3_600_000;

    @Param({"kvs", "xodus"})
    public String engine;

    private Path dir;
    private BenchStore store;
    private String[] keys;
    private int next;

    @Setup(Level.Trial)
    public void open() {
        dir = Engines.freshDirectory("expiring-set-bench");
        store = Engines.open(engine, dir);
        Random random = new Random(42);
        keys = new String[KEYS];
        for (int i = 0; i < KEYS; i++) {
            keys[i] = "key" + random.nextInt(KEYS);
        }
    }

    @TearDown(Level.Trial)
    public void closeAndDelete() {
        store.close();
        Engines.delete(dir);
    }

    @Benchmark
    public void set_with_expiry() {
        store.setWithTtl(keys[next], "value", HOUR_MILLIS);
        next = (next + 1) & (KEYS - 1);
    }

    @Benchmark
    public void set_plain() {
        store.set(keys[next], "value");
        next = (next + 1) & (KEYS - 1);
    }
}
