package io.kvs.core.log;

import io.kvs.core.KvStoreOptions;
import io.kvs.core.SmallFilesystem;
import io.kvs.core.KvsException;
import io.kvs.core.StorageException;
import io.kvs.core.SyncPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A write into a full file system fails with a {@link KvsException} instead of a fault on a
 * mapped page (which would kill the JVM): nothing unacknowledged survives, reads keep working,
 * and writes work again once space is freed. Runs on a small tmpfs, so it needs the right to
 * mount (root); elsewhere it is skipped.
 */
class DiskFullTest {

    private static final long FILESYSTEM_BYTES = 4L * 1024 * 1024;

    @TempDir
    Path tmp;
    private SmallFilesystem filesystem;

    @BeforeEach
    void mountSmallFilesystem() throws Exception {
        filesystem = SmallFilesystem.mount(tmp.resolve("small"), FILESYSTEM_BYTES);
    }

    @AfterEach
    void unmount() throws Exception {
        if (filesystem != null) {
            filesystem.close();
        }
    }

    @Test
    void writeIntoFullDiskFailsCleanlyAndSucceedsOnceSpaceIsFreed() throws IOException {
        Path dir = filesystem.path().resolve("store");
        Path filler = filesystem.path().resolve("filler");
        Files.write(filler, new byte[(int) (FILESYSTEM_BYTES / 2)]);
        KvStoreOptions options = KvStoreOptions.defaults()
                .withSegmentBytes(512 * 1024)
                .withCompactionThresholdBytes(Long.MAX_VALUE)
                .withSyncPolicy(SyncPolicy.ALWAYS);
        Map<String, String> acknowledged = new LinkedHashMap<>();
        String value = "v".repeat(10_000);
        KvsException failure = null;
        try (KvStore store = KvStore.open(dir, options)) {
            for (int i = 0; i < 1000 && failure == null; i++) {
                try {
                    store.set("key" + i, value + i);
                    acknowledged.put("key" + i, value + i);
                } catch (KvsException e) {
                    failure = e;
                }
            }
            assertNotNull(failure, "the file system never filled up");
            assertInstanceOf(StorageException.class, failure);
            assertTrue(acknowledged.size() > 10, "acknowledged " + acknowledged.size());
            for (Map.Entry<String, String> entry : acknowledged.entrySet()) {
                assertEquals(Optional.of(entry.getValue()), store.get(entry.getKey()));
            }
            String failedKey = "key" + acknowledged.size();
            assertEquals(Optional.empty(), store.get(failedKey));

            Files.delete(filler);
            store.set("after", "space was freed");
            acknowledged.put("after", "space was freed");
        }
        try (KvStore store = KvStore.open(dir, options)) {
            for (Map.Entry<String, String> entry : acknowledged.entrySet()) {
                assertEquals(Optional.of(entry.getValue()), store.get(entry.getKey()));
            }
            assertEquals(acknowledged.size(), store.size());
        }
    }
}
