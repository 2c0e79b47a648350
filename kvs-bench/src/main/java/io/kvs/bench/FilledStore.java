package io.kvs.bench;

import io.kvs.core.KvsEngine;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.nio.file.Path;

/**
 * The state of the overwrite benchmarks: a fresh store of the {@code engine} parameter, filled
 * with every key of {@code names} set to {@code value} before the trial, deleted after it.
 */
@State(Scope.Benchmark)
public abstract class FilledStore {

    @Param({"kvs", "xodus"})
    public String engine;

    private final String[] names;
    private final String value;
    private Path dir;
    /** The filled store the benchmark methods use. */
    protected KvsEngine store;

    /** A store filled with every key of {@code names} set to {@code value}. */
    protected FilledStore(String[] names, String value) {
        this.names = names;
        this.value = value;
    }

    @Setup(Level.Trial)
    public void fill() {
        dir = Engines.freshDirectory(getClass().getSimpleName());
        store = Engines.openEngine(engine, dir);
        for (String name : names) {
            store.set(name, value);
        }
    }

    @TearDown(Level.Trial)
    public void closeAndDelete() {
        store.close();
        Engines.delete(dir);
    }
}
