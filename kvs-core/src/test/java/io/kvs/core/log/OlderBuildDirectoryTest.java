package io.kvs.core.log;

import io.kvs.core.KvStoreOptions;
import io.kvs.core.SyncPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A data directory written by the release before the manifest (format 1, no {@code MANIFEST},
 * segments without flags), checked in under {@code format1-without-manifest/}: it opens, reads
 * back exactly, takes writes, survives compaction and a reopen, and gets its manifest.
 *
 * <p>The directory was made by commit c185c4d's {@code KvStore} with 4 KiB segments,
 * {@code SyncPolicy.NEVER} and no background compaction, running {@link #expectedState()}'s
 * operations with one explicit compaction after operation 150 (so it holds compaction output).
 */
class OlderBuildDirectoryTest {

    private static final KvStoreOptions OPTIONS = KvStoreOptions.defaults().withSegmentBytes(4096)
            .withCompactionThresholdBytes(Long.MAX_VALUE).withSyncPolicy(SyncPolicy.NEVER);

    @TempDir
    Path dir;

    /** The operations that wrote the checked-in directory, applied to a map. */
    private static Map<String, String> expectedState() {
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

    private void copyFixture() throws IOException, URISyntaxException {
        Path fixture = Path.of(OlderBuildDirectoryTest.class.getResource("format1-without-manifest").toURI());
        try (DirectoryStream<Path> files = Files.newDirectoryStream(fixture)) {
            for (Path file : files) {
                Files.copy(file, dir.resolve(file.getFileName()));
            }
        }
    }

    @Test
    void directoryOfTheReleaseBeforeTheManifestOpensReadsBackAndKeepsWorking() throws Exception {
        copyFixture();
        assertFalse(Files.exists(SegmentFiles.manifestPath(dir)));
        Map<String, String> model = expectedState();
        assertEquals(80, model.size());
        try (KvStore store = KvStore.open(dir, OPTIONS)) {
            assertEquals(model.size(), store.size());
            for (int k = 0; k < 100; k++) {
                String key = "key" + k;
                assertEquals(Optional.ofNullable(model.get(key)), store.get(key), key);
            }
            store.set("new", "after the upgrade");
            model.put("new", "after the upgrade");
            String removed = model.keySet().stream().filter(k -> k.startsWith("key")).sorted().findFirst().orElseThrow();
            store.remove(removed);
            model.remove(removed);
            store.compact();
        }
        assertTrue(Files.exists(SegmentFiles.manifestPath(dir)), "the upgraded directory has a manifest");
        try (KvStore store = KvStore.open(dir, OPTIONS)) {
            assertEquals(model.size(), store.size());
            for (Map.Entry<String, String> entry : model.entrySet()) {
                assertEquals(Optional.of(entry.getValue()), store.get(entry.getKey()), entry.getKey());
            }
        }
    }
}
