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
import java.util.concurrent.TimeUnit;

/**
 * overwrite_1m: 1 MiB values overwriting 16 keys in turn, so every set replaces a 1 MiB record.
 * Shows what the writer's critical section costs per replaced record (it should not grow with
 * the size of the record it replaces). One operation is one set.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(2)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
public class Overwrite1mBenchmark {

    static final int KEYS = 16;
    private static final String[] NAMES = BenchKeys.names(0, KEYS);
    private static final String VALUE = "v".repeat(1024 * 1024);

    @Param({"kvs", "xodus"})
    public String engine;

    private Path dir;
    private KvsEngine store;
    private int next;

    @Setup(Level.Trial)
    public void fill() {
        dir = Engines.freshDirectory("overwrite1m-bench");
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
    public void overwrite_1m() {
        store.set(NAMES[next], VALUE);
        next = (next + 1) & (KEYS - 1);
    }
}
