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
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A write into a full file system fails with a {@link KvsException} instead of a fault on a
 * mapped page (which would kill the JVM): nothing unacknowledged survives, reads keep working,
 * and writes work again once space is freed. Runs on a small tmpfs, so it needs the right to
 * mount (root); elsewhere it is skipped.
 */
class DiskFullTest {

    private static final long FILESYSTEM_BYTES = 20L * 1024 * 1024;

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

    /** Fills the file system to the last byte with a file of zeros. */
    private static void fill(Path filler) throws IOException {
        byte[] chunk = new byte[64 * 1024];
        try (java.io.OutputStream out = Files.newOutputStream(filler)) {
            for (int size = chunk.length; size > 0; size /= 2) {
                try {
                    while (true) {
                        out.write(chunk, 0, size);
                        out.flush();
                    }
                } catch (IOException full) {
                    // No room for this size any more: try smaller writes until not a byte fits.
                }
            }
        }
    }

    @Test
    void reopenOnAFullTmpfsAfterATailWasCutDoesNotFault() throws IOException {
        Path dir = filesystem.path().resolve("store");
        KvStoreOptions options = KvStoreOptions.defaults().withSyncPolicy(SyncPolicy.EVERY_SECOND);
        try (KvStore store = KvStore.open(dir, options)) {
            store.set("a", "1");
        }
        // The second open cuts the unsealed tail after the record and re-extends the file.
        KvStore.open(dir, options).close();
        fill(filesystem.path().resolve("filler"));
        try (KvStore store = KvStore.open(dir, options)) {
            assertEquals(Optional.of("1"), store.get("a"));
        }
    }

    @Test
    void removesStillWorkOnAFullDisk() throws IOException {
        Path dir = filesystem.path().resolve("store");
        KvStoreOptions options = KvStoreOptions.defaults()
                .withSegmentBytes(512 * 1024)
                .withCompactionThresholdBytes(Long.MAX_VALUE)
                .withSyncPolicy(SyncPolicy.EVERY_SECOND);
        Path filler = filesystem.path().resolve("filler");
        try (KvStore store = KvStore.open(dir, options)) {
            int keys = 0;
            try {
                while (keys < 100_000) {
                    store.set("key" + keys, "value-" + keys + "-" + "x".repeat(1000));
                    keys++;
                }
            } catch (StorageException full) {
                // The disk is full of this store's data: the situation a user frees space from.
            }
            fill(filler);
            assertTrue(keys > 200, "wrote " + keys + " keys before the disk filled");
            int removed = 0;
            for (int i = 0; i < keys; i += Math.max(1, keys / 200)) {
                store.remove("key" + i);
                removed++;
                assertEquals(Optional.empty(), store.get("key" + i));
            }
            assertTrue(removed >= 200, "removed " + removed);
            assertThrows(StorageException.class, () -> store.set("more", "x".repeat(100_000)),
                    "sets still fail: the space for removes is reserved");
        }
        Files.delete(filler);
        try (KvStore store = KvStore.open(dir, options)) {
            assertEquals(Optional.empty(), store.get("key0"));
        }
    }
}
