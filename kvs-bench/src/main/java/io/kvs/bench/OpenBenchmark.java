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
 * open: the time to open a store holding 1,000,000 keys ({@code key0} … {@code key999999},
 * value {@code "value"}), which for KvStore is replaying the log and rebuilding the index.
 * The store is closed after each open, outside the timing.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(2)
@Warmup(iterations = 3)
@Measurement(iterations = 10)
public class OpenBenchmark {

    static final int KEYS = 1_000_000;

    @Param({"kvs", "xodus"})
    public String engine;

    private Path dir;
    private KvsEngine opened;

    @Setup(Level.Trial)
    public void fill() {
        dir = Engines.freshDirectory("open-bench");
        try (KvsEngine store = Engines.openEngine(engine, dir)) {
            for (int i = 0; i < KEYS; i++) {
                store.set("key" + i, "value");
            }
        }
    }

    @TearDown(Level.Invocation)
    public void close() {
        if (opened != null) {
            opened.close();
            opened = null;
        }
    }

    @TearDown(Level.Trial)
    public void delete() {
        Engines.delete(dir);
    }

    @Benchmark
    public KvsEngine open() {
        opened = Engines.openEngine(engine, dir);
        return opened;
    }
}
