package io.kvs.core;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The kvs-core 2 part of the engine contract: bytes, expiry, transactions and batches,
 * read-modify-write, scans, checkpoints, metadata and stats. Expiry is driven by a
 * {@link MutableClock}; nothing here sleeps.
 */
public abstract class FeatureContract extends EngineContractBase {

    // ---- bytes ----

    @Test
    public void stringAndByteApisShareKeysByTheirUtf8Bytes() {
        try (KvsEngine engine = newEngine(dir)) {
            engine.set("ключ", "значение");
            assertArrayEquals(b("значение"), engine.get(b("ключ")).orElseThrow());
            engine.set(b("🔑"), b("💎"));
            assertEquals(Optional.of("💎"), engine.get("🔑"));
            engine.remove(b("ключ"));
            assertEquals(Optional.empty(), engine.get("ключ"));
        }
    }

    @Test
    public void keysThatAreNotUtf8AreDistinctThroughReopenAndCompaction() {
        byte[] ff = {(byte) 0xff};
        byte[] fe = {(byte) 0xfe};
        KvsEngine engine = newEngine(dir);
        engine.set(ff, b("one"));
        engine.set(fe, b("two"));
        engine.set(new byte[] {0, (byte) 0x80}, new byte[] {(byte) 0xc3});
        compact(engine);
        engine.close();
        try (KvsEngine reopened = newEngine(dir)) {
            assertArrayEquals(b("one"), reopened.get(ff).orElseThrow());
            assertArrayEquals(b("two"), reopened.get(fe).orElseThrow());
            assertArrayEquals(new byte[] {(byte) 0xc3}, reopened.get(new byte[] {0, (byte) 0x80}).orElseThrow());
            assertEquals(3, reopened.size());
            assertTrue(reopened.delete(ff));
            assertFalse(reopened.delete(ff));
            assertArrayEquals(b("two"), reopened.get(fe).orElseThrow());
        }
    }

    @Test
    public void byteLimitsAreEnforcedWithLimitExceeded() {
        try (KvsEngine engine = newEngine(dir)) {
            byte[] key = new byte[KvsLimits.MAX_KEY_BYTES];
            engine.set(key, new byte[0]);
            assertTrue(engine.containsKey(key));
            LimitExceededException e = assertThrows(LimitExceededException.class,
                    () -> engine.set(new byte[KvsLimits.MAX_KEY_BYTES + 1], new byte[0]));
            assertEquals(KvsLimits.MAX_KEY_BYTES + 1, e.actual());
            assertThrows(LimitExceededException.class, () -> engine.set(b("k"), new byte[KvsLimits.MAX_VALUE_BYTES + 1]));
            assertThrows(LimitExceededException.class, () -> engine.get(new byte[KvsLimits.MAX_KEY_BYTES + 1]));
            assertFalse(engine.containsKey(b("k")));
        }
    }

    // ---- expiry ----

    @Test
    public void keyWithExpiryIsGoneForEveryReadOnceItsTimeComesAndAfterReopen() {
        MutableClock clock = new MutableClock();
        KvsEngine engine = newEngine(dir, clock);
        engine.set(b("short"), b("v"), clock.millis() + 1000);
        engine.set(b("long"), b("w"), clock.millis() + 100_000);
        engine.set("plain", "p");
        assertEquals(3, engine.size());
        clock.advance(999);
        assertTrue(engine.containsKey(b("short")));
        clock.advance(1);
        assertEquals(Optional.empty(), engine.get(b("short")));
        assertEquals(Optional.empty(), engine.get("short"));
        assertEquals(Optional.empty(), engine.getEntry(b("short")));
        assertFalse(engine.containsKey(b("short")));
        assertEquals(Ttl.noKey(), engine.ttl(b("short")));
        assertEquals(Set.of("long", "plain"), scanAll(engine, new byte[0]));
        assertEquals(2, engine.size());
        assertThrows(KeyNotFoundException.class, () -> engine.remove("short"));
        assertFalse(engine.delete(b("short")));
        engine.close();
        try (KvsEngine reopened = newEngine(dir, clock)) {
            assertEquals(Optional.empty(), reopened.get(b("short")));
            assertEquals(2, reopened.size());
            assertEquals(Optional.of("w"), reopened.get("long"));
            clock.advance(100_000);
            assertEquals(1, reopened.size());
            assertEquals(Set.of("plain"), scanAll(reopened, new byte[0]));
        }
    }

    @Test
    public void ttlTellsNoKeyFromNoExpiryFromTimeLeft() {
        MutableClock clock = new MutableClock();
        try (KvsEngine engine = newEngine(dir, clock)) {
            assertEquals(Ttl.noKey(), engine.ttl(b("k")));
            assertEquals(-2, engine.ttl(b("k")).redisMillis());
            engine.set("k", "v");
            assertEquals(Ttl.noExpiry(), engine.ttl(b("k")));
            assertEquals(-1, engine.ttl(b("k")).redisMillis());
            assertTrue(engine.expire(b("k"), clock.millis() + 5000));
            clock.advance(1500);
            Ttl ttl = engine.ttl(b("k"));
            assertTrue(ttl.hasExpiry());
            assertEquals(3500, ttl.remainingMillis());
            assertEquals(clock.millis() + 3500, ttl.expiresAtMillis());
            assertEquals(new Entry[] {Entry.of(b("v"), clock.millis() + 3500)}[0], engine.getEntry(b("k")).orElseThrow());
        }
    }

    @Test
    public void expireSetsChangesAndClearsAnExpiryAndKeepsTheValue() {
        MutableClock clock = new MutableClock();
        try (KvsEngine engine = newEngine(dir, clock)) {
            assertFalse(engine.expire(b("missing"), clock.millis() + 10));
            assertFalse(engine.containsKey(b("missing")));
            engine.set(b("k"), b("value"));
            assertTrue(engine.expire(b("k"), clock.millis() + 10));
            assertTrue(engine.expire(b("k"), clock.millis() + 10_000));
            clock.advance(100);
            assertArrayEquals(b("value"), engine.get(b("k")).orElseThrow());
            assertTrue(engine.expire(b("k"), Entry.NO_EXPIRY));
            clock.advance(1_000_000);
            assertEquals(Ttl.noExpiry(), engine.ttl(b("k")));
            assertTrue(engine.expire(b("k"), clock.millis() - 1));
            assertFalse(engine.containsKey(b("k")));
            assertThrows(IllegalArgumentException.class, () -> engine.expire(b("k"), -5));
        }
    }

    @Test
    public void setWithAnExpiryThatHasComeRemovesTheKeyAndAPlainSetClearsAnExpiry() {
        MutableClock clock = new MutableClock();
        try (KvsEngine engine = newEngine(dir, clock)) {
            engine.set("k", "old");
            engine.set(b("k"), b("new"), clock.millis());
            assertFalse(engine.containsKey(b("k")));
            engine.set(b("k"), b("v"), clock.millis() + 10);
            engine.set(b("k"), b("w"));
            clock.advance(20);
            assertEquals(Optional.of("w"), engine.get("k"));
            assertEquals(0, engine.stats().keysWithExpiry());
        }
    }

    @Test
    public void expiredKeysAreReclaimedAndCountedInStats() {
        MutableClock clock = new MutableClock();
        try (KvsEngine engine = newEngine(dir, clock)) {
            for (int i = 0; i < 2500; i++) {
                engine.set(b("t" + i), b("v"), clock.millis() + 1000 + i % 7);
            }
            engine.set("forever", "v");
            EngineStats before = engine.stats();
            assertEquals(2501, before.keys());
            assertEquals(2500, before.keysWithExpiry());
            clock.advance(2000);
            EngineStats after = engine.stats();
            assertEquals(1, after.keys());
            assertEquals(0, after.keysWithExpiry());
            assertTrue(after.expiredKeysReclaimed() >= 2500, () -> "reclaimed " + after.expiredKeysReclaimed());
            assertEquals(1, engine.size());
        }
    }

    // ---- transactions, batches, read-modify-write ----

    @Test
    public void atomicallyReadsItsOwnWritesAndAppliesThemTogether() {
        try (KvsEngine engine = newEngine(dir)) {
            engine.set("a", "1");
            String result = engine.atomically(tx -> {
                assertArrayEquals(b("1"), tx.get(b("a")).orElseThrow().value());
                tx.set(b("a"), b("2"));
                tx.set(b("b"), b("3"));
                assertArrayEquals(b("2"), tx.get(b("a")).orElseThrow().value());
                assertTrue(tx.delete(b("b")));
                assertEquals(Optional.empty(), tx.get(b("b")));
                tx.set(b("c"), b("4"));
                return "done";
            });
            assertEquals("done", result);
            assertEquals(Optional.of("2"), engine.get("a"));
            assertEquals(Optional.empty(), engine.get("b"));
            assertEquals(Optional.of("4"), engine.get("c"));
        }
        try (KvsEngine engine = newEngine(dir)) {
            assertEquals(Optional.of("2"), engine.get("a"));
            assertEquals(Optional.of("4"), engine.get("c"));
            assertEquals(2, engine.size());
        }
    }

    @Test
    public void transactionThatThrowsAppliesNothing() {
        try (KvsEngine engine = newEngine(dir)) {
            engine.set("a", "1");
            IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> engine.atomically(tx -> {
                tx.set(b("a"), b("2"));
                tx.delete(b("a"));
                tx.set(b("z"), b("3"));
                throw new IllegalStateException("changed my mind");
            }));
            assertEquals("changed my mind", thrown.getMessage());
            assertEquals(Optional.of("1"), engine.get("a"));
            assertFalse(engine.containsKey(b("z")));
        }
    }

    @Test
    public void transactionOverTheBatchLimitIsRefusedAndAppliesNothing() {
        try (KvsEngine engine = newEngine(dir)) {
            byte[] big = new byte[KvsLimits.MAX_VALUE_BYTES];
            WriteBatch batch = new WriteBatch();
            for (int i = 0; i < KvsLimits.MAX_BATCH_BYTES / KvsLimits.MAX_VALUE_BYTES + 1; i++) {
                batch.set(b("big" + i), big);
            }
            LimitExceededException e = assertThrows(LimitExceededException.class, () -> engine.write(batch));
            assertEquals(KvsLimits.MAX_BATCH_BYTES, e.limit());
            assertEquals(0, engine.size());
        }
    }

    @Test
    public void writeBatchAppliesSetsDeletesAndExpiryAsOneUnit() {
        MutableClock clock = new MutableClock();
        try (KvsEngine engine = newEngine(dir, clock)) {
            engine.set("old", "x");
            engine.set("keep", "y");
            engine.write(new WriteBatch()
                    .set(b("a"), b("1"))
                    .set(b("b"), b("2"), clock.millis() + 50)
                    .delete(b("old"))
                    .delete(b("never-there"))
                    .expire(b("keep"), clock.millis() + 100)
                    .expire(b("never-there-either"), clock.millis() + 100));
            assertEquals(Optional.of("1"), engine.get("a"));
            assertEquals(Optional.of("2"), engine.get("b"));
            assertFalse(engine.containsKey(b("old")));
            assertFalse(engine.containsKey(b("never-there-either")));
            assertEquals(100, engine.ttl(b("keep")).remainingMillis());
            clock.advance(60);
            assertFalse(engine.containsKey(b("b")));
            assertEquals(2, engine.size());
        }
    }

    @Test
    public void metadataOfTheLastTransactionSurvivesReopenCompactionAndCheckpoint() throws Exception {
        KvsEngine engine = newEngine(dir);
        assertEquals(Optional.empty(), engine.metadata());
        for (int i = 1; i <= 50; i++) {
            engine.write(new WriteBatch().set(b("k" + (i % 5)), b("v" + i)).metadata(b("index=" + i)));
        }
        engine.atomically(tx -> {
            tx.setMetadata(b("index=51"));
            return null;
        });
        compact(engine);
        assertArrayEquals(b("index=51"), engine.metadata().orElseThrow());
        Path copy = Files.createTempDirectory(dir.getParent(), "checkpoint");
        Files.delete(copy);
        engine.checkpoint(copy);
        engine.close();
        try (KvsEngine reopened = newEngine(dir)) {
            assertArrayEquals(b("index=51"), reopened.metadata().orElseThrow());
            assertEquals(Optional.of("v50"), reopened.get("k0"));
        }
        try (KvsEngine fromCopy = newEngine(copy)) {
            assertArrayEquals(b("index=51"), fromCopy.metadata().orElseThrow());
        } finally {
            TestDirs.delete(copy);
        }
    }

    @Test
    public void eightThreadsIncrementingOneKeyTenThousandTimesEachEndAtExactly80000() throws Exception {
        try (KvsEngine engine = newEngine(dir)) {
            StartTogether.run(8, id -> {
                for (int i = 0; i < 10_000; i++) {
                    engine.update(b("counter"), current -> Entry.of(b(Long.toString(
                            current == null ? 1 : Long.parseLong(new String(current.value(),
                                    java.nio.charset.StandardCharsets.UTF_8)) + 1))));
                }
            });
            assertEquals(Optional.of("80000"), engine.get("counter"));
        }
    }

    @Test
    public void updateSeesAbsenceAsNullKeepsWhatItReturnsUnchangedAndRemovesOnNull() {
        try (KvsEngine engine = newEngine(dir)) {
            List<Entry> seen = new ArrayList<>();
            assertEquals(Optional.empty(), engine.update(b("k"), current -> {
                seen.add(current);
                return null;
            }));
            assertEquals(1, seen.size());
            assertEquals(null, seen.get(0));
            assertFalse(engine.containsKey(b("k")));
            engine.set("k", "v");
            assertEquals(Optional.of(Entry.of(b("v"))), engine.update(b("k"), current -> current));
            // compare-and-set: replace only if the value is still what was read.
            assertEquals(Optional.of(Entry.of(b("w"))), engine.update(b("k"),
                    current -> current != null && new String(current.value(), java.nio.charset.StandardCharsets.UTF_8).equals("v")
                            ? Entry.of(b("w")) : current));
            assertEquals(Optional.empty(), engine.update(b("k"), current -> null));
            assertFalse(engine.containsKey(b("k")));
        }
    }

    // ---- scans ----

    /** Every key a full scan returns, decoded as UTF-8. */
    protected static Set<String> scanAll(KvsEngine engine, byte[] prefix) {
        Set<String> keys = new HashSet<>();
        long cursor = ScanPage.DONE;
        do {
            ScanPage page = engine.scan(cursor, 3, prefix);
            page.keys().forEach(k -> keys.add(new String(k, java.nio.charset.StandardCharsets.UTF_8)));
            cursor = page.cursor();
        } while (cursor != ScanPage.DONE);
        return keys;
    }

    @Test
    public void scanReturnsEveryKeyOnceInPagesOfAnySizeAndHonoursAPrefix() {
        try (KvsEngine engine = newEngine(dir)) {
            assertTrue(engine.scan(ScanPage.DONE, 10).done());
            assertEquals(List.of(), engine.scan(ScanPage.DONE, 10).keys());
            Set<String> expected = new HashSet<>();
            for (int i = 0; i < 1000; i++) {
                engine.set("user:" + i, "v");
                expected.add("user:" + i);
            }
            engine.set("other", "v");
            for (int count : new int[] {1, 10, 999, 1000, 5000}) {
                List<ByteBuffer> seen = new ArrayList<>();
                long cursor = ScanPage.DONE;
                do {
                    ScanPage page = engine.scan(cursor, count);
                    page.keys().forEach(k -> seen.add(ByteBuffer.wrap(k)));
                    cursor = page.cursor();
                } while (cursor != ScanPage.DONE);
                assertEquals(1001, seen.size(), "count " + count);
                assertEquals(1001, new HashSet<>(seen).size(), "no duplicates with count " + count);
            }
            assertEquals(expected, scanAll(engine, b("user:")));
            assertEquals(Set.of("other"), scanAll(engine, b("oth")));
            List<String> visited = new ArrayList<>();
            engine.forEach(b("user:1"), (k, v) -> visited.add(new String(k, java.nio.charset.StandardCharsets.UTF_8)));
            assertEquals(111, visited.size());
            assertThrows(IllegalArgumentException.class, () -> engine.scan(ScanPage.DONE, 0));
            assertThrows(IllegalArgumentException.class, () -> engine.scan(ScanPage.DONE, KvsLimits.MAX_SCAN_COUNT + 1));
        }
    }

    @Test
    public void scanCursorStaysValidAcrossReopenAndCompaction() {
        Set<String> expected = new HashSet<>();
        KvsEngine engine = newEngine(dir);
        for (int i = 0; i < 500; i++) {
            engine.set("k" + i, "v" + i);
            expected.add("k" + i);
        }
        Set<String> seen = new HashSet<>();
        long cursor = ScanPage.DONE;
        for (int pages = 0; pages < 10; pages++) {
            ScanPage page = engine.scan(cursor, 20);
            page.keys().forEach(k -> seen.add(new String(k, java.nio.charset.StandardCharsets.UTF_8)));
            cursor = page.cursor();
        }
        compact(engine);
        engine.close();
        try (KvsEngine reopened = newEngine(dir)) {
            compact(reopened);
            while (cursor != ScanPage.DONE) {
                ScanPage page = reopened.scan(cursor, 20);
                page.keys().forEach(k -> seen.add(new String(k, java.nio.charset.StandardCharsets.UTF_8)));
                cursor = page.cursor();
            }
        }
        assertEquals(expected, seen);
    }

    @Test
    public void scanUnderChurnReturnsEveryKeyPresentThroughoutAndInventsNone() throws Exception {
        try (KvsEngine engine = newEngine(dir)) {
            Set<String> stable = new HashSet<>();
            for (int i = 0; i < 2000; i++) {
                engine.set("stable" + i, "v");
                stable.add("stable" + i);
            }
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger churned = new AtomicInteger();
            Thread churn = new Thread(() -> {
                int i = 0;
                while (!stop.get()) {
                    engine.set("churn" + (i % 500), "x".repeat(i % 100));
                    if (i % 3 == 0) {
                        engine.delete(b("churn" + ((i / 3) % 500)));
                    }
                    if (i % 1000 == 999) {
                        compact(engine);
                    }
                    i++;
                    churned.set(i);
                }
            });
            churn.start();
            Set<String> seen = new HashSet<>();
            try {
                for (int round = 0; round < 5; round++) {
                    long cursor = ScanPage.DONE;
                    seen.clear();
                    do {
                        ScanPage page = engine.scan(cursor, 7);
                        page.keys().forEach(k -> seen.add(new String(k, java.nio.charset.StandardCharsets.UTF_8)));
                        cursor = page.cursor();
                    } while (cursor != ScanPage.DONE);
                    assertTrue(seen.containsAll(stable), "every stable key is returned");
                    for (String key : seen) {
                        assertTrue(stable.contains(key) || key.startsWith("churn"), () -> "invented " + key);
                    }
                }
            } finally {
                stop.set(true);
                churn.join();
            }
            assertTrue(churned.get() > 0);
        }
    }

    /**
     * Scan under churn, as a property: between the pages of a scan, keys other than the stable
     * ones are set and removed and the engine compacts (tiny segments for KvStore); every stable
     * key is returned at least once, and every key returned existed at some point.
     */
    @Property(tries = 25)
    public void scanUnderChurnReturnsEveryStableKeyProperty(
            @ForAll @IntRange(min = 1, max = 40) int pageSize,
            @ForAll @Size(max = 40) List<@IntRange(min = 0, max = 99) Integer> churn) {
        Path runDir = TestDirs.create("kvs-scan-churn");
        try (KvsEngine engine = newModelEngine(runDir, new MutableClock())) {
            Set<String> stable = new HashSet<>();
            for (int i = 0; i < 60; i++) {
                engine.set("s" + i, "v" + i);
                stable.add("s" + i);
            }
            Set<String> seen = new HashSet<>();
            long cursor = ScanPage.DONE;
            int step = 0;
            do {
                for (int j = 0; j < 3 && step < churn.size(); j++, step++) {
                    int c = churn.get(step);
                    if (c < 60) {
                        engine.set("c" + c, "x".repeat(c));
                    } else if (c < 95) {
                        engine.delete(b("c" + (c - 60)));
                    } else {
                        compact(engine);
                    }
                }
                ScanPage page = engine.scan(cursor, pageSize);
                page.keys().forEach(k -> seen.add(new String(k, java.nio.charset.StandardCharsets.UTF_8)));
                cursor = page.cursor();
            } while (cursor != ScanPage.DONE);
            assertTrue(seen.containsAll(stable), () -> "missing stable keys with page size " + pageSize);
            for (String key : seen) {
                assertTrue(stable.contains(key) || key.startsWith("c"), () -> "invented " + key);
            }
        } finally {
            TestDirs.delete(runDir);
        }
    }

    // ---- checkpoints ----

    @Test
    public void checkpointOpensAsTheSameEngineWithTheDataAtThatPoint() throws Exception {
        Path copy = dir.resolveSibling(dir.getFileName() + "-copy");
        try {
            try (KvsEngine engine = newEngine(dir)) {
                for (int i = 0; i < 300; i++) {
                    engine.set("k" + i, "v" + i);
                }
                engine.remove("k0");
                compact(engine);
                engine.set("k1", "changed");
                engine.checkpoint(copy);
                engine.set("after", "not in the copy");
                engine.set("k2", "changed after");
            }
            assertEquals(Optional.of(engineName()), DataDirectory.engineOf(copy));
            try (KvsEngine restored = newEngine(copy)) {
                assertEquals(299, restored.size());
                assertEquals(Optional.empty(), restored.get("k0"));
                assertEquals(Optional.of("changed"), restored.get("k1"));
                assertEquals(Optional.of("v2"), restored.get("k2"));
                assertEquals(Optional.empty(), restored.get("after"));
                restored.set("new", "write to the copy");
            }
            try (KvsEngine original = newEngine(dir)) {
                assertEquals(Optional.empty(), original.get("new"));
                assertEquals(Optional.of("changed after"), original.get("k2"));
            }
        } finally {
            TestDirs.delete(copy);
        }
    }

    @Test
    public void checkpointWhileAWriterRunsHoldsEveryWriteAcknowledgedBeforeIt() throws Exception {
        Path copy = dir.resolveSibling(dir.getFileName() + "-live-copy");
        try (KvsEngine engine = newEngine(dir)) {
            AtomicInteger acknowledged = new AtomicInteger();
            AtomicBoolean stop = new AtomicBoolean();
            Thread writer = new Thread(() -> {
                for (int i = 0; !stop.get(); i++) {
                    engine.set("w" + i, "v" + i);
                    acknowledged.set(i + 1);
                }
            });
            writer.start();
            while (acknowledged.get() < 2000) {
                Thread.onSpinWait();
            }
            int before = acknowledged.get();
            engine.checkpoint(copy);
            stop.set(true);
            writer.join();
            try (KvsEngine restored = newEngine(copy)) {
                for (int i = 0; i < before; i++) {
                    assertEquals(Optional.of("v" + i), restored.get("w" + i), "w" + i);
                }
                long size = restored.size();
                assertTrue(size >= before && size <= acknowledged.get(), () -> "size " + size);
            }
        } finally {
            TestDirs.delete(copy);
        }
    }

    @Test
    public void checkpointIntoANonEmptyDirectoryOrIntoTheStoreIsRefused() throws Exception {
        Path full = dir.resolveSibling(dir.getFileName() + "-full");
        Files.createDirectories(full);
        Files.writeString(full.resolve("something"), "x");
        try (KvsEngine engine = newEngine(dir)) {
            engine.set("k", "v");
            KvsException e = assertThrows(KvsException.class, () -> engine.checkpoint(full));
            assertTrue(e.getMessage().contains("not empty"), e.getMessage());
            assertThrows(KvsException.class, () -> engine.checkpoint(dir.resolve("inside")));
            assertEquals(Optional.of("v"), engine.get("k"));
        } finally {
            TestDirs.delete(full);
        }
    }

    // ---- stats ----

    @Test
    public void statsCountKeysExpiryReadsAndWritesWithoutAScan() {
        MutableClock clock = new MutableClock();
        try (KvsEngine engine = newEngine(dir, clock)) {
            EngineStats empty = engine.stats();
            assertEquals(0, empty.keys());
            engine.set("a", "1");
            engine.set(b("b"), b("2"), clock.millis() + 10);
            engine.get("a");
            engine.get(b("b"));
            engine.get("missing");
            EngineStats stats = engine.stats();
            assertEquals(2, stats.keys());
            assertEquals(1, stats.keysWithExpiry());
            assertTrue(stats.reads() >= 3, () -> "reads " + stats.reads());
            assertTrue(stats.writes() >= 2, () -> "writes " + stats.writes());
            assertTrue(stats.diskBytes() > 0);
            assertTrue(stats.segments() >= 1);
        }
    }
}
