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
import java.util.concurrent.TimeUnit;

/**
 * set_bench: open a fresh store in a new directory (not timed), then set {@code key1} …
 * {@code key4095} to {@code "value"}. One operation is the whole batch of 4,095 sets. Runs on
 * the kvs engines and on every peer ({@link io.kvs.bench.peers.Peer}), each with its default
 * durability (see {@code kvs-bench/README.md}, "Peers").
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(2)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
public class SetBenchmark {

    /** Sets per batch. */
    public static final int BATCH = 4095;
    private static final String[] KEYS = BenchKeys.names(1, BATCH);

    @Param({"kvs", "xodus", "chronicle-map", "lmdb", "rocksdb", "mapdb", "h2"})
    public String engine;

    private Path dir;
    private BenchStore store;

    @Setup(Level.Invocation)
    public void openFreshStore() {
        dir = Engines.freshDirectory("set-bench");
        store = Engines.open(engine, dir);
    }

    @TearDown(Level.Invocation)
    public void closeAndDelete() {
        store.close();
        Engines.delete(dir);
    }

    @Benchmark
    public void set_bench() {
        for (String key : KEYS) {
            store.set(key, "value");
        }
    }
}
