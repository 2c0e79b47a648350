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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.file.Path;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Reads and writes from 1, 2 and 4 threads at once on a store of 65,536 keys: throughput in
 * operations per microsecond, summed over threads. {@code read_*} only gets, {@code write_*}
 * only sets (overwrites), {@code mixed_*} nine gets to one set. {@code read_t2} runs on the kvs
 * engines and every peer ({@link AnyStore}); the others on kvs and Xodus ({@link EngineStore}).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(2)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
public class ConcurrentBenchmark {

    static final int KEYS = 1 << 16;
    private static final String[] NAMES = BenchKeys.names(0, KEYS);

    /**
     * The store every thread of a trial shares: opened in a new directory and filled with every
     * key set to {@code "value"} before the trial, deleted after it. The engine comes from the
     * subclass's {@code engine} parameter.
     */
    public abstract static class SharedStore {

        private Path dir;
        BenchStore store;

        /** The {@code engine} parameter of the concrete state. */
        abstract String engineName();

        @Setup(Level.Trial)
        public void fill() {
            dir = Engines.freshDirectory("concurrent-bench");
            store = Engines.open(engineName(), dir);
            store.load(NAMES, "value");
        }

        @TearDown(Level.Trial)
        public void closeAndDelete() {
            store.close();
            Engines.delete(dir);
        }
    }

    /** A kvs engine: the store of every benchmark here but {@code read_t2}. */
    @State(Scope.Benchmark)
    public static class EngineStore extends SharedStore {

        @Param({"kvs", "xodus"})
        public String engine;

        @Override
        String engineName() {
            return engine;
        }
    }

    /** A kvs engine or a peer: the store of {@code read_t2}, the side-by-side read benchmark. */
    @State(Scope.Benchmark)
    public static class AnyStore extends SharedStore {

        @Param({"kvs", "xodus", "chronicle-map", "lmdb", "rocksdb", "mapdb", "h2"})
        public String engine;

        @Override
        String engineName() {
            return engine;
        }
    }

    /** A random stream per thread. */
    @State(Scope.Thread)
    public static class Dice {
        final SplittableRandom random = new SplittableRandom(Thread.currentThread().getId());

        String key() {
            return NAMES[random.nextInt(KEYS)];
        }
    }

    private static Optional<String> read(SharedStore shared, Dice dice) {
        return shared.store.get(dice.key());
    }

    private static void write(SharedStore shared, Dice dice) {
        shared.store.set(dice.key(), "value-2");
    }

    private static Object mixed(SharedStore shared, Dice dice) {
        if (dice.random.nextInt(10) == 0) {
            write(shared, dice);
            return null;
        }
        return read(shared, dice);
    }

    @Benchmark
    @Threads(1)
    public Optional<String> read_t1(EngineStore store, Dice dice) {
        return read(store, dice);
    }

    @Benchmark
    @Threads(2)
    public Optional<String> read_t2(AnyStore store, Dice dice) {
        return read(store, dice);
    }

    @Benchmark
    @Threads(4)
    public Optional<String> read_t4(EngineStore store, Dice dice) {
        return read(store, dice);
    }

    @Benchmark
    @Threads(1)
    public void write_t1(EngineStore store, Dice dice) {
        write(store, dice);
    }

    @Benchmark
    @Threads(2)
    public void write_t2(EngineStore store, Dice dice) {
        write(store, dice);
    }

    @Benchmark
    @Threads(4)
    public void write_t4(EngineStore store, Dice dice) {
        write(store, dice);
    }

    @Benchmark
    @Threads(1)
    public Object mixed_t1(EngineStore store, Dice dice) {
        return mixed(store, dice);
    }

    @Benchmark
    @Threads(2)
    public Object mixed_t2(EngineStore store, Dice dice) {
        return mixed(store, dice);
    }

    @Benchmark
    @Threads(4)
    public Object mixed_t4(EngineStore store, Dice dice) {
        return mixed(store, dice);
    }
}
