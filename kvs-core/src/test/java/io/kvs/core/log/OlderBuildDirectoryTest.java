package io.kvs.core.log;

import io.kvs.core.Format1Fixture;
import io.kvs.core.KvStoreOptions;
import io.kvs.core.SyncPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Data directories written by earlier releases open, read back exactly, take writes, survive
 * compaction and a reopen ({@link Format1Fixture}):
 *
 * <ul>
 *   <li>{@code format1-without-manifest/}: the release before the manifest (commit c185c4d;
 *       no {@code MANIFEST}, segments without flags); it gets its manifest on open;
 *   <li>{@code format1-with-manifest/}: the last release of record format 1 (commit 93f171e,
 *       segments of version 1 with a manifest).
 * </ul>
 */
class OlderBuildDirectoryTest {

    private static final KvStoreOptions OPTIONS = KvStoreOptions.defaults().withSegmentBytes(4096)
            .withCompactionThresholdBytes(Long.MAX_VALUE).withSyncPolicy(SyncPolicy.NEVER);

    @TempDir
    Path dir;

    @Test
    void directoryOfTheReleaseBeforeTheManifestOpensReadsBackAndKeepsWorking() {
        Format1Fixture.copy(OlderBuildDirectoryTest.class, "format1-without-manifest", dir);
        assertFalse(Files.exists(SegmentFiles.manifestPath(dir)));
        opensReadsBackAndKeepsWorking();
        assertTrue(Files.exists(SegmentFiles.manifestPath(dir)), "the upgraded directory has a manifest");
    }

    @Test
    void directoryOfTheLastFormat1ReleaseOpensReadsBackAndKeepsWorking() {
        Format1Fixture.copy(OlderBuildDirectoryTest.class, "format1-with-manifest", dir);
        assertTrue(Files.exists(SegmentFiles.manifestPath(dir)));
        opensReadsBackAndKeepsWorking();
    }

    private void opensReadsBackAndKeepsWorking() {
        Format1Fixture.opensReadsBackAndKeepsWorking(dir, d -> KvStore.open(d, OPTIONS), e -> ((KvStore) e).compact());
        try (KvStore store = KvStore.open(dir, OPTIONS)) {
            assertEquals(80, store.size());
        }
    }
}
