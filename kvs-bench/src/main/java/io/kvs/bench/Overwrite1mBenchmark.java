package io.kvs.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * overwrite_1m: 1 MiB values overwriting 16 keys in turn, so every set replaces a 1 MiB record.
 * Shows what the writer's critical section costs per replaced record (it should not grow with
 * the size of the record it replaces). One operation is one set.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(2)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
public class Overwrite1mBenchmark extends FilledStore {

    static final int KEYS = 16;
    private static final String[] NAMES = BenchKeys.names(0, KEYS);
    private static final String VALUE = "v".repeat(1024 * 1024);

    private int next;

    public Overwrite1mBenchmark() {
        super(NAMES, VALUE);
    }

    @Benchmark
    public void overwrite_1m() {
        store.set(NAMES[next], VALUE);
        next = (next + 1) & (KEYS - 1);
    }
}
