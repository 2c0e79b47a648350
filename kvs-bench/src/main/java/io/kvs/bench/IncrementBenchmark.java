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
 * increment: one atomic read-modify-write that adds one to a decimal counter (one of 16 keys in
 * turn), with each store's own atomic primitive ({@link BenchStore#increment}): kvs's
 * {@code update}, {@code ConcurrentMap.compute} for Chronicle Map, MapDB and H2, a write
 * transaction for LMDB. RocksDB has no atomic read-modify-write without its transaction API and
 * is not run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(2)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
public class IncrementBenchmark {

    private static final String[] COUNTERS = BenchKeys.names(0, 16);

    @Param({"kvs", "xodus", "chronicle-map", "lmdb", "mapdb", "h2"})
    public String engine;

    private Path dir;
    private BenchStore store;
    private int next;

    @Setup(Level.Trial)
    public void open() {
        dir = Engines.freshDirectory("increment-bench");
        store = Engines.open(engine, dir);
    }

    @TearDown(Level.Trial)
    public void closeAndDelete() {
        store.close();
        Engines.delete(dir);
    }

    @Benchmark
    public long increment() {
        long count = store.increment(COUNTERS[next]);
        next = (next + 1) & (COUNTERS.length - 1);
        return count;
    }
}
