package io.kvs.core;

import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;

/**
 * What every part of the engine contract needs: how to open the engine under test (an engine's
 * test class extends {@link KvsEngineContract} and supplies {@link #newEngine(Path, Clock)}), and
 * a fresh directory per test.
 */
public abstract class EngineContractBase {

    /** Opens the engine under test on {@code dir} (which may hold data from an earlier open), with expiry by {@code clock}. */
    protected abstract KvsEngine newEngine(Path dir, Clock clock);

    /** The name the engine records in its data directory. */
    protected abstract String engineName();

    /** Opens the engine under test with the system clock. */
    protected KvsEngine newEngine(Path dir) {
        return newEngine(dir, Clock.systemUTC());
    }

    /** Opens the engine for the model-based properties; defaults to {@link #newEngine(Path, Clock)}. */
    protected KvsEngine newModelEngine(Path dir, Clock clock) {
        return newEngine(dir, clock);
    }

    /** Compacts the engine if it can; properties mix this into their actions. */
    protected void compact(KvsEngine engine) {
    }

    @TempDir
    protected Path dir;

    /** The UTF-8 bytes of {@code s}. */
    protected static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
