package io.kvs.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DataDirectoryTest {

    @TempDir
    Path dir;

    @Test
    void emptyOrMissingDirectoryHasNoEngine() {
        assertEquals(Optional.empty(), DataDirectory.engineOf(dir));
        assertEquals(Optional.empty(), DataDirectory.engineOf(dir.resolve("missing")));
    }

    @Test
    void claimRecordsTheEngineAndCreatesTheDirectory() {
        Path nested = dir.resolve("a/b");
        try (DataDirectory claimed = DataDirectory.claim(nested, "kvs")) {
            assertEquals(nested.toAbsolutePath(), claimed.path());
        }
        assertEquals(Optional.of("kvs"), DataDirectory.engineOf(nested));
        assertTrue(Files.exists(nested.resolve(DataDirectory.LOCK_FILE_NAME)));
    }

    @Test
    void secondClaimWaitsForTheFirstToClose() {
        DataDirectory first = DataDirectory.claim(dir, "kvs");
        assertThrows(DirectoryLockedException.class, () -> DataDirectory.claim(dir, "kvs"));
        first.close();
        DataDirectory.claim(dir, "kvs").close();
    }

    @Test
    void claimForAnotherEngineFailsAndReleasesTheLock() {
        DataDirectory.claim(dir, "xodus").close();
        EngineMismatchException e = assertThrows(EngineMismatchException.class, () -> DataDirectory.claim(dir, "kvs"));
        assertTrue(e.getMessage().contains("'xodus'") && e.getMessage().contains("'kvs'"), e.getMessage());
        DataDirectory.claim(dir, "xodus").close();
    }

    @Test
    void markerRewrittenToTheOtherEngineDoesNotLetItClaimTheData() throws Exception {
        try (io.kvs.core.log.KvStore store = io.kvs.core.log.KvStore.open(dir)) {
            store.set("k", "v");
        }
        Files.writeString(dir.resolve(DataDirectory.ENGINE_FILE_NAME), "xodus\n");
        EngineMismatchException e = assertThrows(EngineMismatchException.class,
                () -> io.kvs.core.xodus.XodusKvsEngine.open(dir));
        assertEquals("kvs", e.found());
        assertTrue(e.getMessage().contains("says 'xodus'"), e.getMessage());
        assertTrue(EngineKind.withFilesIn(dir).equals(java.util.EnumSet.of(EngineKind.KVS)), "no Xodus file was written");
        assertEquals("xodus\n", Files.readString(dir.resolve(DataDirectory.ENGINE_FILE_NAME)), "marker left as found");
        assertEquals(Optional.of("kvs"), DataDirectory.engineOf(dir), "the files win over the marker");
        CorruptLogException wrongMarker = assertThrows(CorruptLogException.class, () -> io.kvs.core.log.KvStore.open(dir));
        assertEquals(dir.resolve(DataDirectory.ENGINE_FILE_NAME).toAbsolutePath(), wrongMarker.file());
        Files.delete(dir.resolve(DataDirectory.ENGINE_FILE_NAME));
        try (io.kvs.core.log.KvStore store = io.kvs.core.log.KvStore.open(dir)) {
            assertEquals(Optional.of("v"), store.get("k"), "with the bad marker gone, the data opens");
        }
    }

    @Test
    void deletedMarkerIsNotRewrittenForTheOtherEngine() throws Exception {
        try (io.kvs.core.log.KvStore store = io.kvs.core.log.KvStore.open(dir)) {
            store.set("k", "v");
        }
        Files.delete(dir.resolve(DataDirectory.ENGINE_FILE_NAME));
        assertEquals(Optional.of("kvs"), DataDirectory.engineOf(dir), "the files tell the engine");
        EngineMismatchException e = assertThrows(EngineMismatchException.class,
                () -> io.kvs.core.xodus.XodusKvsEngine.open(dir));
        assertTrue(e.getMessage().contains("missing"), e.getMessage());
        assertTrue(Files.notExists(dir.resolve(DataDirectory.ENGINE_FILE_NAME)), "no marker written over kvs data");
        try (io.kvs.core.log.KvStore store = io.kvs.core.log.KvStore.open(dir)) {
            assertEquals(Optional.of("v"), store.get("k"));
        }
        assertEquals(Optional.of("kvs"), DataDirectory.engineOf(dir));
    }

    @Test
    void xodusDataIsNotClaimedByKvsWhateverTheMarkerSays() throws Exception {
        try (io.kvs.core.xodus.XodusKvsEngine store = io.kvs.core.xodus.XodusKvsEngine.open(dir)) {
            store.set("k", "v");
        }
        Files.delete(dir.resolve(DataDirectory.ENGINE_FILE_NAME));
        assertEquals(Optional.of("xodus"), DataDirectory.engineOf(dir));
        assertThrows(EngineMismatchException.class, () -> io.kvs.core.log.KvStore.open(dir));
        Files.writeString(dir.resolve(DataDirectory.ENGINE_FILE_NAME), "kvs\n");
        assertThrows(EngineMismatchException.class, () -> io.kvs.core.log.KvStore.open(dir));
        assertTrue(EngineKind.withFilesIn(dir).equals(java.util.EnumSet.of(EngineKind.XODUS)), "no segment was written");
    }

    @Test
    void engineKindsKnowTheirNamesAndFiles() {
        assertEquals(java.util.List.of("kvs", "xodus"), EngineKind.names());
        assertEquals(Optional.of(EngineKind.XODUS), EngineKind.named("xodus"));
        assertEquals(Optional.empty(), EngineKind.named("sled"));
        assertTrue(EngineKind.KVS.ownsFile("0000000001.log") && EngineKind.KVS.ownsFile("MANIFEST"));
        assertTrue(EngineKind.XODUS.ownsFile("00000000000.xd") && !EngineKind.XODUS.ownsFile("MANIFEST"));
        assertTrue(!EngineKind.KVS.ownsFile("ENGINE") && !EngineKind.XODUS.ownsFile("LOCK"));
    }
}
