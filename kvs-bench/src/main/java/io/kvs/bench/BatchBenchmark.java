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
 * batch_100: one atomic write of 100 sets (random keys among 2^16, value {@code "value"}) to a
 * store already holding those 2^16 keys, with each store's own atomic multi-key write
 * ({@link BenchStore#setAtomically}). Chronicle Map and MapDB (as opened, without transactions)
 * have none and are not run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(2)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
public class BatchBenchmark {

    private static final int KEYS = 1 << 16;
    private static final int BATCH = 100;
    private static final int BATCHES = 1024;

    @Param({"kvs", "xodus", "lmdb", "rocksdb", "h2"})
    public String engine;

    private Path dir;
    private BenchStore store;
    private String[][] batches;
    private int next;

    @Setup(Level.Trial)
    public void fill() {
        dir = Engines.freshDirectory("batch-bench");
        store = Engines.open(engine, dir);
        store.load(BenchKeys.names(0, KEYS), "value");
        Random random = new Random(42);
        batches = new String[BATCHES][BATCH];
        for (String[] batch : batches) {
            for (int i = 0; i < BATCH; i++) {
                batch[i] = "key" + random.nextInt(KEYS);
            }
        }
    }

    @TearDown(Level.Trial)
    public void closeAndDelete() {
        store.close();
        Engines.delete(dir);
    }

    @Benchmark
    public void batch_100() {
        store.setAtomically(batches[next], "value");
        next = (next + 1) & (BATCHES - 1);
    }
}
