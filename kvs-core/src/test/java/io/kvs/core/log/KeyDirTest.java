package io.kvs.core.log;

import io.kvs.core.DataDirectory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.locks.ReentrantLock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link KeyDir} and its {@link KeyIndex} directly: two keys that share a hash, one in the hash
 * index and one in the overflow map, through every operation the writer and the compactor use.
 */
class KeyDirTest {

    /** Both keys of these tests have this hash. */
    private static final long HASH = 42;
    private static final byte[] OWNER = "owner".getBytes(StandardCharsets.UTF_8);
    private static final byte[] COLLIDER = "collider".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;
    private DataDirectory directory;
    private SegmentTable segments;
    private KeyDir keyDir;

    @BeforeEach
    void openLog() {
        directory = DataDirectory.claim(dir, KvStore.ENGINE_NAME);
        segments = new SegmentTable(directory, 64 * 1024, false, LogIo.REAL);
        segments.createActive();
        keyDir = new KeyDir(new LogReader(segments), new ReentrantLock());
    }

    @AfterEach
    void closeLog() {
        segments.closeAll();
        directory.close();
    }

    /** Appends a set record for {@code key}; returns its location. */
    private long write(byte[] key, String value) {
        byte[] record = RecordDescriptor.encodeSet(key, value.getBytes(StandardCharsets.UTF_8));
        Segment active = segments.active();
        return Location.of(active.id(), active.append(record, 0, record.length, 0));
    }

    @Test
    void collidingKeysAreFoundExactlyAndCountedOnce() {
        long owner = write(OWNER, "1");
        long collider = write(COLLIDER, "2");
        assertEquals(Location.NONE, keyDir.put(OWNER, 0, OWNER.length, HASH, owner));
        assertEquals(Location.NONE, keyDir.put(COLLIDER, 0, COLLIDER.length, HASH, collider));
        assertEquals(2, keyDir.size());
        assertEquals(owner, keyDir.findExact(OWNER, HASH));
        assertEquals(collider, keyDir.findExact(COLLIDER, HASH));
        assertEquals(collider, keyDir.find(COLLIDER, HASH));
        assertEquals(Location.NONE, keyDir.findExact("absent".getBytes(StandardCharsets.UTF_8), HASH));

        long colliderAgain = write(COLLIDER, "3");
        assertEquals(collider, keyDir.put(COLLIDER, 0, COLLIDER.length, HASH, colliderAgain));
        assertEquals(2, keyDir.size());
        assertEquals(colliderAgain, keyDir.remove(COLLIDER, 0, COLLIDER.length, HASH));
        assertEquals(1, keyDir.size());
        assertEquals(Location.NONE, keyDir.findExact(COLLIDER, HASH));
        assertEquals(owner, keyDir.remove(OWNER, 0, OWNER.length, HASH));
        assertEquals(0, keyDir.size());
    }

    @Test
    void moveSucceedsOnlyFromTheCurrentLocation() {
        long owner = write(OWNER, "1");
        long collider = write(COLLIDER, "2");
        keyDir.put(OWNER, 0, OWNER.length, HASH, owner);
        keyDir.put(COLLIDER, 0, COLLIDER.length, HASH, collider);
        long ownerCopy = write(OWNER, "1");
        long colliderCopy = write(COLLIDER, "2");

        assertTrue(keyDir.move(HASH, owner, ownerCopy), "owner, in the hash index");
        assertTrue(keyDir.move(HASH, collider, colliderCopy), "collider, in the overflow map");
        assertFalse(keyDir.move(HASH, owner, ownerCopy), "owner is no longer at its old location");
        assertFalse(keyDir.move(HASH, collider, colliderCopy), "nor is collider");

        assertEquals(ownerCopy, keyDir.findExact(OWNER, HASH));
        assertEquals(colliderCopy, keyDir.findExact(COLLIDER, HASH));
        assertTrue(keyDir.isLive(OWNER, 0, OWNER.length, HASH, ownerCopy));
        assertTrue(keyDir.isLive(COLLIDER, 0, COLLIDER.length, HASH, colliderCopy));
        assertFalse(keyDir.isLive(OWNER, 0, OWNER.length, HASH, owner));
        assertFalse(keyDir.isLive(COLLIDER, 0, COLLIDER.length, HASH, collider));
    }

    @Test
    void moveOfAKeyWithoutCollisionsUsesTheHashIndexOnly() {
        long owner = write(OWNER, "1");
        keyDir.put(OWNER, 0, OWNER.length, HASH, owner);
        long copy = write(OWNER, "1");
        assertFalse(keyDir.move(HASH, copy, owner), "not at the copy yet");
        assertTrue(keyDir.move(HASH, owner, copy));
        assertEquals(copy, keyDir.find(OWNER, HASH));
        assertEquals(1, keyDir.size());
    }

    @Test
    void indexReplaceSwapsOnlyTheExpectedLocation() {
        KeyIndex index = new KeyIndex(new ReentrantLock());
        long[] hashes = {0, 1, -1, Long.MIN_VALUE, Long.MAX_VALUE, 0x0400_0000_0000_0000L, 0xFC00_0000_0000_0000L};
        for (int i = 0; i < hashes.length; i++) {
            assertEquals(Location.NONE, index.put(hashes[i], i));
        }
        assertEquals(hashes.length, index.size());
        for (int i = 0; i < hashes.length; i++) {
            long hash = hashes[i];
            assertFalse(index.replace(hash, i + 100, 7), "not at " + (i + 100));
            assertEquals(i, index.get(hash));
            assertTrue(index.replace(hash, i, i + 1000));
            assertEquals(i + 1000, index.get(hash));
        }
        assertEquals(hashes.length - 1 + 1000, index.remove(hashes[hashes.length - 1]));
        assertEquals(Location.NONE, index.get(hashes[hashes.length - 1]));
        assertEquals(hashes.length - 1, index.size());
    }
}
