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
}
