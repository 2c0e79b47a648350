package io.kvs.core.log;

import io.kvs.core.CorruptLogException;
import io.kvs.core.DataDirectory;
import io.kvs.core.KvStoreOptions;
import io.kvs.core.SyncPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.locks.ReentrantLock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What {@link LogRecovery} rebuilds on open besides the index: the live and stale byte counts
 * that compaction decides on, and the file set (sealing, leftovers, the manifest).
 */
class LogRecoveryTest {

    /** 4 KiB segments, no compaction unless a test asks: the counts stay as written. */
    private static final KvStoreOptions OPTIONS = KvStoreOptions.defaults()
            .withSegmentBytes(KvStoreOptions.SEGMENT_BYTES_MIN)
            .withCompactionThresholdBytes(Long.MAX_VALUE)
            .withSyncPolicy(SyncPolicy.NEVER);

    @TempDir
    Path dir;
    @TempDir
    Path elsewhere;

    /** What a workload leaves: the live keys, and the live and stale bytes it accounts for. */
    private record Written(Map<String, String> model, long liveBytes, long staleBytes) {
    }

    /**
     * Sets, overwrites and removes over 60 keys, counting bytes as the format defines them: a
     * record is live while the index points to it; an overwritten or removed record and every
     * tombstone are stale.
     */
    private static Written workload(KvStore store, long seed) {
        Map<String, String> model = new HashMap<>();
        Map<String, Integer> recordLengths = new HashMap<>();
        long stale = 0;
        Random random = new Random(seed);
        for (int i = 0; i < 600; i++) {
            String key = "key" + random.nextInt(60);
            int keyLength = key.getBytes(StandardCharsets.UTF_8).length;
            Integer previous = recordLengths.get(key);
            if (previous != null && random.nextInt(4) == 0) {
                store.remove(key);
                model.remove(key);
                recordLengths.remove(key);
                stale += previous + RecordDescriptor.recordLength(keyLength, 0);
            } else {
                String value = "v" + i + "-" + "ж".repeat(random.nextInt(40));
                store.set(key, value);
                model.put(key, value);
                recordLengths.put(key, RecordDescriptor.recordLength(keyLength, value.getBytes(StandardCharsets.UTF_8).length));
                if (previous != null) {
                    stale += previous;
                }
            }
        }
        long live = recordLengths.values().stream().mapToLong(Integer::longValue).sum();
        return new Written(model, live, stale);
    }

    private Written writeWorkload() {
        try (KvStore store = KvStore.open(dir, OPTIONS)) {
            Written written = workload(store, 11);
            assertEquals(written.staleBytes(), store.staleBytes(), "the writer's own count");
            return written;
        }
    }

    /** Runs recovery alone on the directory, as KvStore's constructor does; returns the counts it rebuilt. */
    private LogStats recoverStats() {
        try (DataDirectory directory = DataDirectory.claim(dir, KvStore.ENGINE_NAME)) {
            SegmentTable segments = new SegmentTable(directory, OPTIONS.segmentBytes(), false, LogIo.REAL);
            LogReader reader = new LogReader(segments);
            LogStats stats = new LogStats();
            try {
                RecordApplier applier = new RecordApplier(new KeyDir(reader, new ReentrantLock()), new ExpiryIndex(), stats, reader, KeyHash.DEFAULT,
                        new java.util.concurrent.atomic.AtomicLong(Location.NONE), new java.util.concurrent.atomic.AtomicLong());
                new LogRecovery(dir, OPTIONS.segmentBytes(), false, segments, applier, java.time.Clock.systemUTC()).recover();
            } finally {
                segments.closeAll();
            }
            return stats;
        }
    }

    /**
     * Pins both counts through the only question compaction asks of them: the stale bytes
     * exactly, by the absolute threshold; the total (live plus stale) to within a byte, by the
     * stale share.
     */
    private static void assertCounts(long live, long stale, LogStats stats) {
        assertTrue(stats.shouldCompact(stale, 0), "stale bytes are at least " + stale + ": " + stats);
        assertFalse(stats.shouldCompact(stale + 1, 0), "stale bytes are at most " + stale + ": " + stats);
        long total = live + stale;
        assertTrue(stats.shouldCompact(1, stale / (double) (total + 1)), "total is at most " + (total + 1) + ": " + stats);
        assertFalse(stats.shouldCompact(1, stale / (double) (total - 1)), "total is more than " + (total - 1) + ": " + stats);
    }

    @Test
    void recoveryRebuildsTheLiveAndStaleBytesTheWritersCounted() {
        Written written = writeWorkload();
        assertTrue(SegmentFiles.list(dir).size() > 3, "sealed segments and an unsealed one");
        assertTrue(written.staleBytes() > 0 && written.liveBytes() > 0);
        assertCounts(written.liveBytes(), written.staleBytes(), recoverStats());
    }

    @Test
    void reopenedStoreHasTheStaleBytesItWasClosedWith() {
        Written written = writeWorkload();
        try (KvStore store = KvStore.open(dir, OPTIONS)) {
            assertEquals(written.staleBytes(), store.staleBytes());
            assertEquals(written.model().size(), store.size());
        }
    }

    @Test
    void compactionAfterAReopenLeavesNoStaleBytes() {
        Written written = writeWorkload();
        try (KvStore store = KvStore.open(dir, OPTIONS)) {
            store.compact();
            assertEquals(0, store.staleBytes(), "every stale byte was in a deleted input");
            for (Map.Entry<String, String> entry : written.model().entrySet()) {
                assertEquals(Optional.of(entry.getValue()), store.get(entry.getKey()));
            }
        }
        try (KvStore store = KvStore.open(dir, OPTIONS)) {
            assertEquals(0, store.staleBytes());
            assertEquals(written.model().size(), store.size());
        }
    }

    @Test
    void reopenedStoreWithEnoughStaleBytesCompactsByItself() throws InterruptedException {
        Written written = writeWorkload();
        KvStoreOptions compacting = OPTIONS.withCompactionThresholdBytes(written.staleBytes()).withCompactionMinStaleRatio(0);
        try (KvStore store = KvStore.open(dir, compacting)) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (store.compactions() == 0) {
                assertTrue(System.nanoTime() < deadline, "no compaction within 30 s of opening with "
                        + written.staleBytes() + " stale bytes at a threshold of as many");
                Thread.yield();
            }
            assertEquals(written.model().size(), store.size());
        }
    }

    @Test
    void missingSegmentsAreCountedInTheMessage() throws IOException {
        writeWorkload();
        List<Long> ids = SegmentFiles.list(dir);
        Files.delete(SegmentFiles.path(dir, ids.get(1)));
        Files.delete(SegmentFiles.path(dir, ids.get(2)));
        CorruptLogException e = assertThrows(CorruptLogException.class, () -> KvStore.open(dir, OPTIONS));
        assertEquals(SegmentFiles.path(dir, ids.get(1)), e.file());
        assertTrue(e.getMessage().contains("(2 of " + ids.size() + " listed segments are missing)"), e.getMessage());
    }

    @Test
    void lostSegmentOfANewStoreIsReportedNotOpenedEmpty() throws IOException {
        try (KvStore store = KvStore.open(dir, OPTIONS)) {
            store.set("only", "key");
        }
        assertEquals(List.of(1L), SegmentFiles.list(dir));
        Files.delete(SegmentFiles.path(dir, 1));
        CorruptLogException e = assertThrows(CorruptLogException.class, () -> KvStore.open(dir, OPTIONS));
        assertEquals(SegmentFiles.path(dir, 1), e.file());
    }

    @Test
    void reopenWithAnUnchangedFileSetDoesNotRewriteTheManifest() {
        AtomicInteger manifestWrites = new AtomicInteger();
        LogIo counting = new LogIo() {
            @Override
            public void replaceFile(Path temporary, Path file, byte[] contents, boolean force) throws IOException {
                if (file.equals(SegmentFiles.manifestPath(dir))) {
                    manifestWrites.incrementAndGet();
                }
                LogIo.super.replaceFile(temporary, file, contents, force);
            }
        };
        try (KvStore store = KvStore.open(dir, OPTIONS, counting)) {
            store.set("a", "1");
        }
        assertTrue(manifestWrites.get() > 0, "a new store writes its manifest");
        manifestWrites.set(0);
        try (KvStore store = KvStore.open(dir, OPTIONS, counting)) {
            assertEquals(Optional.of("1"), store.get("a"));
        }
        assertEquals(0, manifestWrites.get());
    }

    @Test
    void blankHeaderedNewestSegmentWithoutRecordsIsRemoved() throws IOException {
        Written written = writeWorkload();
        long id = newestId() + 1;
        Path blank = SegmentFiles.path(dir, id);
        Files.write(blank, new byte[SegmentHeader.LENGTH + 4096]);
        try (KvStore store = KvStore.open(dir, OPTIONS)) {
            assertEquals(written.model().size(), store.size());
        }
        assertFalse(Files.exists(blank));
    }

    @Test
    void blankHeaderedSegmentWithRecordsIsReported() throws IOException {
        writeWorkload();
        long id = newestId() + 1;
        Path blank = SegmentFiles.path(dir, id);
        byte[] bytes = new byte[SegmentHeader.LENGTH + 4096];
        byte[] record = RecordDescriptor.encodeSet("k".getBytes(StandardCharsets.UTF_8), "v".getBytes(StandardCharsets.UTF_8));
        System.arraycopy(record, 0, bytes, SegmentHeader.LENGTH, record.length);
        Files.write(blank, bytes);
        CorruptLogException e = assertThrows(CorruptLogException.class, () -> KvStore.open(dir, OPTIONS));
        assertEquals(blank, e.file());
        assertTrue(e.getMessage().contains("header missing but records present"), e.getMessage());
    }

    @Test
    void segmentTheManifestRetiredIsDeletedOnOpen() throws IOException {
        Written written = writeWorkload();
        long first = SegmentFiles.list(dir).get(0);
        Path saved = elsewhere.resolve("first.log");
        Files.copy(SegmentFiles.path(dir, first), saved);
        try (KvStore store = KvStore.open(dir, OPTIONS)) {
            store.compact();
        }
        // A crash after compaction listed its inputs as obsolete, before it deleted the first.
        Manifest compacted = Manifest.read(dir).orElseThrow();
        Manifest retiring = new Manifest(compacted.nextId(), 0, 0, compacted.live(), new long[]{first});
        Files.write(SegmentFiles.manifestPath(dir), retiring.encode());
        Files.copy(saved, SegmentFiles.path(dir, first));
        try (KvStore store = KvStore.open(dir, OPTIONS)) {
            for (Map.Entry<String, String> entry : written.model().entrySet()) {
                assertEquals(Optional.of(entry.getValue()), store.get(entry.getKey()));
            }
            assertEquals(written.model().size(), store.size());
        }
        assertFalse(Files.exists(SegmentFiles.path(dir, first)));
    }

    @Test
    void unsealedSegmentBeforeTheNewestIsSealedOnOpen() throws IOException {
        Written written = writeWorkload();
        long first = SegmentFiles.list(dir).get(0);
        Path file = SegmentFiles.path(dir, first);
        SegmentHeader.Parsed sealed = SegmentHeader.parse(Segment.readHeader(file), file);
        assertTrue(sealed.sealed());
        // A seal that never reached the disk.
        byte[] header = Segment.readHeader(file);
        java.util.Arrays.fill(header, SegmentHeader.SEALED_END_OFFSET,
                SegmentHeader.SEALED_END_OFFSET + SegmentHeader.SEAL_LENGTH, (byte) 0);
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE)) {
            channel.write(java.nio.ByteBuffer.wrap(header), 0);
        }
        assertFalse(SegmentHeader.parse(Segment.readHeader(file), file).sealed());
        try (KvStore store = KvStore.open(dir, OPTIONS)) {
            assertEquals(written.model().size(), store.size());
        }
        SegmentHeader.Parsed resealed = SegmentHeader.parse(Segment.readHeader(file), file);
        assertTrue(resealed.sealed());
        assertEquals(sealed.sealedEnd(), resealed.sealedEnd());
    }

    private long newestId() {
        List<Long> ids = SegmentFiles.list(dir);
        return ids.get(ids.size() - 1);
    }
}
