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
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * get_bench: a store holding {@code keys} keys ({@code key0} …, value {@code "value"}), read at
 * random keys from a fixed seed. One operation is one get. Runs on the kvs engines and on every
 * peer; the store is filled with {@link BenchStore#load} before the trial (not timed).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(2)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
public class GetBenchmark {

    /** Random keys read, cycled through. */
    private static final int READS = 1 << 16;

    @Param({"kvs", "xodus", "chronicle-map", "lmdb", "rocksdb", "mapdb", "h2"})
    public String engine;

    @Param({"256", "4096", "65536", "1048576"})
    public int keys;

    private Path dir;
    private BenchStore store;
    private String[] reads;

    @Setup(Level.Trial)
    public void fill() {
        dir = Engines.freshDirectory("get-bench");
        store = Engines.open(engine, dir);
        store.load(BenchKeys.names(0, keys), "value");
        Random random = new Random(42);
        reads = new String[READS];
        for (int i = 0; i < READS; i++) {
            reads[i] = "key" + random.nextInt(keys);
        }
    }

    @TearDown(Level.Trial)
    public void closeAndDelete() {
        store.close();
        Engines.delete(dir);
    }

    private int next;

    @Benchmark
    public Optional<String> get_bench() {
        String key = reads[next];
        next = (next + 1) & (READS - 1);
        return store.get(key);
    }
}
