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
 * scan_64k: visiting every key of a store holding 2^16 keys (value {@code "value"}), in the
 * store's own order: kvs's cursor scan in pages of 1,000, an iterator or cursor for every peer.
 * One operation is the whole scan.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(2)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
public class ScanBenchmark {

    private static final int KEYS = 1 << 16;

    @Param({"kvs", "xodus", "chronicle-map", "lmdb", "rocksdb", "mapdb", "h2"})
    public String engine;

    private Path dir;
    private BenchStore store;

    @Setup(Level.Trial)
    public void fill() {
        dir = Engines.freshDirectory("scan-bench");
        store = Engines.open(engine, dir);
        store.load(BenchKeys.names(0, KEYS), "value");
    }

    @TearDown(Level.Trial)
    public void closeAndDelete() {
        store.close();
        Engines.delete(dir);
    }

    @Benchmark
    public long scan_64k() {
        long count = store.scanAll();
        if (count != KEYS) {
            throw new IllegalStateException(engine + " scanned " + count + " keys of " + KEYS);
        }
        return count;
    }
}
