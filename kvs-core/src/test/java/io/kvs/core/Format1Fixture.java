package io.kvs.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Data directories written by earlier releases, checked in under the test resources, and the
 * operations that wrote them. Each fixture was written by running {@link #expectedState()}'s
 * 300 operations in order (removes of absent keys skipped), with one explicit compaction after
 * operation 150 where the engine compacts, 4 KiB segments and {@code SyncPolicy.NEVER} for
 * KvStore; the test that uses a fixture names the commit that wrote it.
 */
public final class Format1Fixture {

    private Format1Fixture() {
    }

    /** The state the fixtures' operations leave: 80 keys {@code key0} … {@code key99}. */
    public static Map<String, String> expectedState() {
        Map<String, String> model = new HashMap<>();
        for (int i = 0; i < 300; i++) {
            String key = "key" + (i * 7 % 100);
            if (i % 5 == 4) {
                model.remove(key);
            } else {
                model.put(key, "v" + i + "-\u00e9\u65e5\u672c\ud83d\ude42" + "x".repeat(i % 50));
            }
        }
        return model;
    }

    /** Copies the fixture directory {@code resource} (relative to {@code anchor}'s package) into {@code target}. */
    public static void copy(Class<?> anchor, String resource, Path target) {
        try {
            Path fixture = Path.of(anchor.getResource(resource).toURI());
            Files.createDirectories(target);
            try (DirectoryStream<Path> files = Files.newDirectoryStream(fixture)) {
                for (Path file : files) {
                    Files.copy(file, target.resolve(file.getFileName()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Opens the copied fixture in {@code dir} with {@code opener}, checks every key against
     * {@link #expectedState()}, writes and removes a key, runs {@code compaction}, and checks
     * everything again after a reopen.
     */
    public static void opensReadsBackAndKeepsWorking(Path dir, Function<Path, KvsEngine> opener,
                                                     Consumer<KvsEngine> compaction) {
        Map<String, String> model = expectedState();
        assertEquals(80, model.size());
        try (KvsEngine engine = opener.apply(dir)) {
            checkAll(engine, model);
            engine.set("new", "after the upgrade");
            model.put("new", "after the upgrade");
            String removed = model.keySet().stream().filter(k -> k.startsWith("key")).sorted().findFirst().orElseThrow();
            engine.remove(removed);
            model.remove(removed);
            compaction.accept(engine);
            checkAll(engine, model);
        }
        try (KvsEngine engine = opener.apply(dir)) {
            checkAll(engine, model);
        }
    }

    private static void checkAll(KvsEngine engine, Map<String, String> model) {
        for (int k = 0; k < 100; k++) {
            String key = "key" + k;
            assertEquals(Optional.ofNullable(model.get(key)), engine.get(key), key);
        }
        for (Map.Entry<String, String> entry : model.entrySet()) {
            assertEquals(Optional.of(entry.getValue()), engine.get(entry.getKey()), entry.getKey());
        }
    }
}
