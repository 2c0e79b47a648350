package io.kvs.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * set_1k: 1 KiB values overwriting random keys among 2^16, so the log turns over and compaction
 * runs while the benchmark does. One operation is one set.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(2)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
public class Set1kBenchmark extends FilledStore {

    static final int KEYS = 1 << 16;
    private static final String[] NAMES = BenchKeys.names(0, KEYS);
    private static final String VALUE = "v".repeat(1024);

    private final SplittableRandom random = new SplittableRandom(42);

    public Set1kBenchmark() {
        super(NAMES, VALUE);
    }

    @Benchmark
    public void set_1k() {
        store.set(NAMES[random.nextInt(KEYS)], VALUE);
    }
}
