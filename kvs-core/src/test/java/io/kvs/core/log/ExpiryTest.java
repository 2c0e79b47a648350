package io.kvs.core.log;

import io.kvs.core.Entry;
import io.kvs.core.KvStoreOptions;
import io.kvs.core.MutableClock;
import io.kvs.core.SyncPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How {@link KvStore} forgets expired keys: the background sweep, replay, and compaction. */
class ExpiryTest {

    private static final KvStoreOptions OPTIONS = KvStoreOptions.defaults().withSyncPolicy(SyncPolicy.NEVER)
            .withCompactionThresholdBytes(Long.MAX_VALUE);

    @TempDir
    Path dir;

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void backgroundSweepRemovesExpiredKeysFromTheIndexWithoutAnyRead() throws Exception {
        MutableClock clock = new MutableClock();
        try (KvStore store = KvStore.open(dir, OPTIONS.withClock(clock))) {
            for (int i = 0; i < 5000; i++) {
                store.set(b("t" + i), b("v"), clock.millis() + 1000 + i);
            }
            store.set("forever", "v");
            assertEquals(5001, store.indexedKeys());
            clock.advance(10_000);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (store.indexedKeys() > 1 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(1, store.indexedKeys(), "the sweep left expired keys in the index");
        }
    }

    @Test
    void keysExpiredWhileTheStoreWasClosedAreDroppedByReplay() {
        MutableClock clock = new MutableClock();
        try (KvStore store = KvStore.open(dir, OPTIONS.withClock(clock))) {
            store.set("old", "plain");
            store.set(b("old"), b("expiring"), clock.millis() + 100);
            store.set(b("keeps"), b("v"), clock.millis() + 100_000);
        }
        clock.advance(1000);
        try (KvStore store = KvStore.open(dir, OPTIONS.withClock(clock))) {
            assertEquals(1, store.indexedKeys());
            assertTrue(store.stats().expiredKeysReclaimed() >= 1);
            assertEquals(java.util.Optional.empty(), store.get("old"), "the older plain value must not come back");
        }
    }

    @Test
    void compactionReclaimsTheBytesOfExpiredKeys() {
        MutableClock clock = new MutableClock();
        try (KvStore store = KvStore.open(dir, OPTIONS.withClock(clock).withSegmentBytes(1024 * 1024))) {
            byte[] value = new byte[1000];
            for (int i = 0; i < 3000; i++) {
                store.set(b("t" + i), value, clock.millis() + 1000);
            }
            store.set("small", "v");
            long liveBefore = store.stats().liveBytes();
            assertTrue(liveBefore > 3_000_000, "live " + liveBefore);
            clock.advance(2000);
            assertEquals(1, store.size());
            assertTrue(store.staleBytes() > 3_000_000);
            store.compact();
            assertTrue(store.stats().liveBytes() < 1000, "live after " + store.stats().liveBytes());
            // Up to two retired files are kept for the next segments (FreeSegments): the rest is given back.
            assertTrue(store.freeSegmentFiles() <= FreeSegments.MAX_FILES);
            long kept = store.freeSegmentFiles() * 1024L * 1024;
            assertTrue(store.stats().diskBytes() - kept < 3_000_000, "disk after " + store.stats().diskBytes()
                    + ", " + kept + " of it kept for reuse");
        }
        try (KvStore store = KvStore.open(dir, OPTIONS.withClock(clock))) {
            assertEquals(1, store.size());
        }
    }

    @Test
    void expiryIndexBucketsKeepOnlyCurrentExpiriesAndHonourTheBudget() {
        ExpiryIndex index = new ExpiryIndex();
        long t = MutableClock.START_MILLIS;
        for (long h = 1; h <= 100; h++) {
            index.set(h, null, t + h * 10);
        }
        index.set(5, null, t + 1_000_000);     // changed: its old bucket entry is stale
        index.set(6, null, Entry.NO_EXPIRY);    // cleared
        index.remove(7, null);                  // removed with its key
        assertEquals(98, index.size());
        java.util.List<Long> reclaimed = new java.util.ArrayList<>();
        ExpiryIndex.Reclaimer collect = new ExpiryIndex.Reclaimer() {
            @Override
            public void expiredHash(long hash) {
                reclaimed.add(hash);
            }

            @Override
            public void expiredKey(KeyBytes key) {
                throw new AssertionError("no overflow keys here");
            }
        };
        assertEquals(10, index.reclaimDue(t + 1000, 10, collect));
        int rest = index.reclaimDue(t + 1000, 1000, collect);
        assertEquals(97, 10 + rest, "all but the one moved to later");
        assertTrue(!reclaimed.contains(5L) && !reclaimed.contains(6L) && !reclaimed.contains(7L), reclaimed.toString());
        assertEquals(1, index.size());
        assertEquals(0, index.reclaimDue(t + 999_999, 1000, collect));
        assertEquals(1, index.reclaimDue(t + 1_000_000, 1000, collect));
        assertEquals(Long.MAX_VALUE, index.earliestDueMillis());
    }
}
