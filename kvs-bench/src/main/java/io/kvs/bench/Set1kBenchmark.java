package io.kvs.bench;

import io.kvs.core.KvsEngine;
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
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * set_1k: 1 KiB values overwriting random keys among 2^16, so the log turns over and compaction
 * runs while the benchmark does. One operation is one set.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(2)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
public class Set1kBenchmark {

    static final int KEYS = 1 << 16;
    private static final String[] NAMES = BenchKeys.names(0, KEYS);
    private static final String VALUE = "v".repeat(1024);

    @Param({"kvs", "xodus"})
    public String engine;

    private Path dir;
    private KvsEngine store;
    private final SplittableRandom random = new SplittableRandom(42);

    @Setup(Level.Trial)
    public void fill() {
        dir = Engines.freshDirectory("set1k-bench");
        store = Engines.open(engine, dir);
        for (String name : NAMES) {
            store.set(name, VALUE);
        }
    }

    @TearDown(Level.Trial)
    public void closeAndDelete() {
        store.close();
        Engines.delete(dir);
    }

    @Benchmark
    public void set_1k() {
        store.set(NAMES[random.nextInt(KEYS)], VALUE);
    }
}
