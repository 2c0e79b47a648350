package io.kvs.core;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The state of a model-based run: an engine under test and a plain {@link HashMap} holding what
 * it should contain. Each action applies to both and checks the engine against the model.
 */
public final class EngineModel implements AutoCloseable {

    private final Path dir;
    private final Function<Path, KvsEngine> opener;
    private final Consumer<KvsEngine> compaction;
    private final Map<String, String> model = new HashMap<>();
    private KvsEngine engine;

    public EngineModel(Path dir, Function<Path, KvsEngine> opener, Consumer<KvsEngine> compaction) {
        this.dir = dir;
        this.opener = opener;
        this.compaction = compaction;
        this.engine = opener.apply(dir);
    }

    public void set(String key, String value) {
        engine.set(key, value);
        model.put(key, value);
    }

    public void get(String key) {
        assertEquals(Optional.ofNullable(model.get(key)), engine.get(key), () -> "get " + quote(key));
    }

    public void remove(String key) {
        if (model.containsKey(key)) {
            engine.remove(key);
            model.remove(key);
        } else {
            assertThrows(KeyNotFoundException.class, () -> engine.remove(key), () -> "remove missing " + quote(key));
        }
    }

    public void reopen() {
        engine.close();
        engine = opener.apply(dir);
    }

    public void compact() {
        compaction.accept(engine);
    }

    /** Checks every key the model knows, and {@code absent}, which it does not. */
    public void checkAgainstModel(Iterable<String> probes) {
        for (Map.Entry<String, String> entry : model.entrySet()) {
            assertEquals(Optional.of(entry.getValue()), engine.get(entry.getKey()),
                    () -> "stored " + quote(entry.getKey()));
        }
        for (String probe : probes) {
            get(probe);
        }
    }

    public Map<String, String> model() {
        return model;
    }

    @Override
    public void close() {
        if (engine != null) {
            engine.close();
            engine = null;
        }
        TestDirs.delete(dir);
    }

    private static String quote(String s) {
        return '"' + (s.length() > 40 ? s.substring(0, 40) + "...(" + s.length() + " chars)" : s) + '"';
    }

    @Override
    public String toString() {
        return "EngineModel{" + model.size() + " keys}";
    }
}
