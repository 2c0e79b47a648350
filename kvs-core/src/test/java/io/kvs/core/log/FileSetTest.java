package io.kvs.core.log;

import io.kvs.core.CorruptLogException;
import io.kvs.core.KvStoreOptions;
import io.kvs.core.MixedWorkload;
import io.kvs.core.SyncPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The store knows its own file set ({@link Manifest}): a missing, unexpected or unlisted segment
 * is corruption naming the file, never a silent loss of keys or a resurrection of old values.
 */
class FileSetTest {

    private static final KvStoreOptions OPTIONS = KvStoreOptions.defaults()
            .withSegmentBytes(16 * 1024)
            .withSyncPolicy(SyncPolicy.EVERY_SECOND);

    @TempDir
    Path dir;
    @TempDir
    Path elsewhere;

    /** 3,000 sets and removes over 1,000 keys, as in the report; returns the expected state. */
    private Map<String, String> writeMixedWorkload() {
        try (KvStore store = KvStore.open(dir, OPTIONS)) {
            return MixedWorkload.run(store, 3000, 1000, 42);
        }
    }

    @Test
    void missingMiddleSegmentFailsOpenNamingTheFile() throws IOException {
        writeMixedWorkload();
        List<Long> ids = SegmentFiles.list(dir);
        assertTrue(ids.size() > 4, "segments: " + ids);
        Path gone = SegmentFiles.path(dir, ids.get(2));
        Files.delete(gone);
        CorruptLogException e = assertThrows(CorruptLogException.class, () -> KvStore.open(dir, OPTIONS));
        assertEquals(gone, e.file());
        assertTrue(e.getMessage().contains("missing"), e.getMessage());
    }

    @Test
    void missingNewestSegmentFailsOpen() throws IOException {
        writeMixedWorkload();
        List<Long> ids = SegmentFiles.list(dir);
        Path gone = SegmentFiles.path(dir, ids.get(ids.size() - 1));
        Files.delete(gone);
        CorruptLogException e = assertThrows(CorruptLogException.class, () -> KvStore.open(dir, OPTIONS));
        assertEquals(gone, e.file());
    }

    @Test
    void everySegmentDeletedFailsOpenInsteadOfOpeningEmpty() throws IOException {
        writeMixedWorkload();
        List<Long> ids = SegmentFiles.list(dir);
        for (long id : ids) {
            Files.delete(SegmentFiles.path(dir, id));
        }
        CorruptLogException e = assertThrows(CorruptLogException.class, () -> KvStore.open(dir, OPTIONS));
        assertEquals(SegmentFiles.path(dir, ids.get(0)), e.file());
        assertTrue(e.getMessage().contains(ids.size() + " of " + ids.size()), e.getMessage());
    }

    @Test
    void missingManifestBesideSegmentsFailsOpen() throws IOException {
        writeMixedWorkload();
        Files.delete(SegmentFiles.manifestPath(dir));
        CorruptLogException e = assertThrows(CorruptLogException.class, () -> KvStore.open(dir, OPTIONS));
        assertEquals(SegmentFiles.manifestPath(dir), e.file());
    }

    @Test
    void damagedManifestFailsOpen() throws IOException {
        writeMixedWorkload();
        Path manifest = SegmentFiles.manifestPath(dir);
        byte[] bytes = Files.readAllBytes(manifest);
        bytes[Manifest.HEADER_LENGTH] ^= 0x01;
        Files.write(manifest, bytes);
        CorruptLogException e = assertThrows(CorruptLogException.class, () -> KvStore.open(dir, OPTIONS));
        assertEquals(manifest, e.file());
        assertTrue(e.getMessage().contains("checksum"), e.getMessage());
    }

    @Test
    void segmentRestoredAfterCompactionDeletedItFailsOpen() throws IOException {
        writeMixedWorkload();
        Path first = SegmentFiles.path(dir, SegmentFiles.list(dir).get(0));
        Path saved = elsewhere.resolve("saved.log");
        Files.copy(first, saved);
        try (KvStore store = KvStore.open(dir, OPTIONS)) {
            store.compact();
        }
        assertTrue(Files.notExists(first), "compaction deletes its inputs");
        Files.copy(saved, first);
        CorruptLogException e = assertThrows(CorruptLogException.class, () -> KvStore.open(dir, OPTIONS));
        assertEquals(first, e.file());
        assertTrue(e.getMessage().contains("not in the manifest"), e.getMessage());
    }

    @Test
    void reopenAfterCompactionKeepsEveryKey() {
        Map<String, String> model = writeMixedWorkload();
        try (KvStore store = KvStore.open(dir, OPTIONS)) {
            store.compact();
        }
        try (KvStore store = KvStore.open(dir, OPTIONS)) {
            for (Map.Entry<String, String> entry : model.entrySet()) {
                assertEquals(Optional.of(entry.getValue()), store.get(entry.getKey()));
            }
            assertEquals(model.size(), store.size());
        }
    }

    @Test
    void directoryOfAnOlderBuildWithoutManifestOpensAndGetsOne() throws IOException {
        Map<String, String> model = writeMixedWorkload();
        Files.delete(SegmentFiles.manifestPath(dir));
        for (long id : SegmentFiles.list(dir)) {
            clearFlags(SegmentFiles.path(dir, id));
        }
        try (KvStore store = KvStore.open(dir, OPTIONS)) {
            assertEquals(model.size(), store.size());
            for (Map.Entry<String, String> entry : model.entrySet()) {
                assertEquals(Optional.of(entry.getValue()), store.get(entry.getKey()));
            }
        }
        assertTrue(Files.exists(SegmentFiles.manifestPath(dir)));
        Path newest = SegmentFiles.path(dir, SegmentFiles.list(dir).get(SegmentFiles.list(dir).size() - 1));
        Files.delete(newest);
        assertThrows(CorruptLogException.class, () -> KvStore.open(dir, OPTIONS));
    }

    @Test
    void unlistedEmptySegmentIsRemovedAsALeftover() throws IOException {
        writeMixedWorkload();
        try (KvStore store = KvStore.open(dir, OPTIONS)) {
            store.compact();
        }
        // An empty segment with an id the store used and gave up, as a prepared compaction
        // target abandoned after a roll overtook it.
        long unusedId = 1;
        assertTrue(unusedId < SegmentFiles.list(dir).get(0));
        Path leftover = SegmentFiles.path(dir, unusedId);
        Files.write(leftover, SegmentHeader.encode(unusedId, SegmentHeader.KIND_LOG));
        try (KvStore store = KvStore.open(dir, OPTIONS)) {
            assertTrue(store.size() > 0);
        }
        assertTrue(Files.notExists(leftover));
    }

    /** Rewrites a segment header as a build without manifests wrote it: no flags. */
    private static void clearFlags(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        bytes[SegmentHeader.FLAGS_OFFSET] = 0;
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(bytes, 0, SegmentHeader.HEADER_CHECKSUM_COVERAGE);
        LittleEndian.putInt(bytes, SegmentHeader.HEADER_CHECKSUM_OFFSET, (int) crc.getValue());
        Path temp = file.resolveSibling(file.getFileName() + ".rewrite");
        Files.write(temp, bytes);
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
    }
}
