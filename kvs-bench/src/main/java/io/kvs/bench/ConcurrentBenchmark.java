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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.file.Path;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Reads and writes from 1, 2 and 4 threads at once on a store of 65,536 keys: throughput in
 * operations per microsecond, summed over threads. {@code read_*} only gets, {@code write_*}
 * only sets (overwrites), {@code mixed_*} nine gets to one set.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(2)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
public class ConcurrentBenchmark {

    static final int KEYS = 1 << 16;
    private static final String[] NAMES = BenchKeys.names(0, KEYS);

    @Param({"kvs", "xodus"})
    public String engine;

    private Path dir;
    private KvsEngine store;

    @Setup(Level.Trial)
    public void fill() {
        dir = Engines.freshDirectory("concurrent-bench");
        store = Engines.open(engine, dir);
        for (String name : NAMES) {
            store.set(name, "value");
        }
    }

    @TearDown(Level.Trial)
    public void closeAndDelete() {
        store.close();
        Engines.delete(dir);
    }

    /** A random stream per thread. */
    @State(Scope.Thread)
    public static class Dice {
        final SplittableRandom random = new SplittableRandom(Thread.currentThread().getId());

        String key() {
            return NAMES[random.nextInt(KEYS)];
        }
    }

    private Optional<String> read(Dice dice) {
        return store.get(dice.key());
    }

    private void write(Dice dice) {
        store.set(dice.key(), "value-2");
    }

    private Object mixed(Dice dice) {
        if (dice.random.nextInt(10) == 0) {
            write(dice);
            return null;
        }
        return read(dice);
    }

    @Benchmark
    @Threads(1)
    public Optional<String> read_t1(Dice dice) {
        return read(dice);
    }

    @Benchmark
    @Threads(2)
    public Optional<String> read_t2(Dice dice) {
        return read(dice);
    }

    @Benchmark
    @Threads(4)
    public Optional<String> read_t4(Dice dice) {
        return read(dice);
    }

    @Benchmark
    @Threads(1)
    public void write_t1(Dice dice) {
        write(dice);
    }

    @Benchmark
    @Threads(2)
    public void write_t2(Dice dice) {
        write(dice);
    }

    @Benchmark
    @Threads(4)
    public void write_t4(Dice dice) {
        write(dice);
    }

    @Benchmark
    @Threads(1)
    public Object mixed_t1(Dice dice) {
        return mixed(dice);
    }

    @Benchmark
    @Threads(2)
    public Object mixed_t2(Dice dice) {
        return mixed(dice);
    }

    @Benchmark
    @Threads(4)
    public Object mixed_t4(Dice dice) {
        return mixed(dice);
    }
}
