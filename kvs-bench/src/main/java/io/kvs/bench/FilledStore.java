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
 * with every key of {@link #names()} set to {@link #value()} before the trial, deleted after it.
 */
@State(Scope.Benchmark)
public abstract class FilledStore {

    @Param({"kvs", "xodus"})
    public String engine;

    private Path dir;
    /** The filled store the benchmark methods use. */
    protected KvsEngine store;

    /** The keys, all set before the trial. */
    protected abstract String[] names();

    /** The value every key is set to. */
    protected abstract String value();

    @Setup(Level.Trial)
    public void fill() {
        dir = Engines.freshDirectory(getClass().getSimpleName());
        store = Engines.open(engine, dir);
        for (String name : names()) {
            store.set(name, value());
        }
    }

    @TearDown(Level.Trial)
    public void closeAndDelete() {
        store.close();
        Engines.delete(dir);
    }
}
