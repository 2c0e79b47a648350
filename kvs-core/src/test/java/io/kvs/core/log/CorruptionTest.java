package io.kvs.core.log;

import io.kvs.core.CorruptLogException;
import io.kvs.core.KvStoreOptions;
import io.kvs.core.SyncPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Damage that is not a torn tail is reported with its file and offset, never returned as data. */
class CorruptionTest {

    private static final KvStoreOptions SMALL = KvStoreOptions.defaults()
            .withSegmentBytes(KvStoreOptions.SEGMENT_BYTES_MIN)
            .withCompactionThresholdBytes(Long.MAX_VALUE)
            .withSyncPolicy(SyncPolicy.NEVER);

    @TempDir
    Path dir;

    /** Every record of these tests has this length: key "keyNN", value of 40 chars. */
    private static final int RECORD = RecordDescriptor.recordLength(5, 40);

    private void writeRecords(int count) {
        try (KvStore store = KvStore.open(dir, SMALL)) {
            for (int i = 0; i < count; i++) {
                store.set(String.format("key%02d", i), String.format("%040d", i));
            }
        }
    }

    @Test
    void flippedByteInSealedSegmentIsReportedWithFileAndOffset() throws IOException {
        writeRecords(200);
        List<Long> segments = SegmentFiles.list(dir);
        assertTrue(segments.size() > 2, "segments: " + segments);
        Path sealed = SegmentFiles.path(dir, segments.get(0));
        long recordOffset = SegmentHeader.LENGTH + 3L * RECORD;
        flip(sealed, recordOffset + RecordDescriptor.HEADER_LENGTH + 7);
        CorruptLogException e = assertThrows(CorruptLogException.class, () -> KvStore.open(dir, SMALL));
        assertEquals(sealed, e.file());
        assertEquals(recordOffset, e.offset());
        assertTrue(e.getMessage().contains("offset=" + recordOffset), e.getMessage());
    }

    @Test
    void damagedRecordFollowedByValidRecordsInLastSegmentIsReportedNotCutOff() throws IOException {
        writeRecords(10);
        Path segment = SegmentFiles.path(dir, 1);
        long recordOffset = SegmentHeader.LENGTH + 2L * RECORD;
        flip(segment, recordOffset + RecordDescriptor.HEADER_LENGTH + 20);
        CorruptLogException e = assertThrows(CorruptLogException.class, () -> KvStore.open(dir, SMALL));
        assertEquals(recordOffset, e.offset());
        assertTrue(e.getMessage().contains("followed by valid records"), e.getMessage());
    }

    @Test
    void recordDamagedWhileOpenIsReportedOnGetNotReturned() throws IOException {
        assertDamageWhileOpenIsReported(RecordDescriptor.HEADER_LENGTH + 5 + 10, false);
    }

    @Test
    void aRecordWhoseLengthIsDamagedWhileOpenIsStillReportedAfterAPrefetch() throws IOException {
        // The value length's high byte: the header now claims a record far past the write position.
        assertDamageWhileOpenIsReported(RecordDescriptor.VALUE_LENGTH_OFFSET + 3, true);
    }

    /**
     * Writes key00 and key01, flips the byte {@code offsetInRecord} into key00's record, then
     * (after a prefetch of both, if {@code prefetch}) reads both: key00 is reported, key01 read.
     */
    private void assertDamageWhileOpenIsReported(int offsetInRecord, boolean prefetch) throws IOException {
        try (KvStore store = KvStore.open(dir, SMALL)) {
            store.set("key00", "0".repeat(40));
            store.set("key01", "1".repeat(40));
            Path segment = SegmentFiles.path(dir, 1);
            // The file and the mapping share the page cache: this write is what a reader sees.
            flip(segment, SegmentHeader.LENGTH + offsetInRecord);
            if (prefetch) {
                store.prefetch(List.of("key00".getBytes(StandardCharsets.UTF_8), "key01".getBytes(StandardCharsets.UTF_8)));
            }
            CorruptLogException e = assertThrows(CorruptLogException.class, () -> store.get("key00"));
            assertEquals(segment, e.file());
            assertEquals(SegmentHeader.LENGTH, e.offset());
            assertEquals(Optional.of("1".repeat(40)), store.get("key01"));
        }
    }

    @Test
    void badMagicIsReported() throws IOException {
        writeRecords(3);
        Path segment = SegmentFiles.path(dir, 1);
        flip(segment, SegmentHeader.MAGIC_OFFSET);
        CorruptLogException e = assertThrows(CorruptLogException.class, () -> KvStore.open(dir, SMALL));
        assertTrue(e.getMessage().contains("bad magic"), e.getMessage());
        assertEquals(segment, e.file());
    }

    @Test
    void headerIdThatDoesNotMatchFileNameIsReported() throws IOException {
        writeRecords(3);
        // A copy under a newer name: the manifest does not list it, and its header disagrees.
        Files.copy(SegmentFiles.path(dir, 1), SegmentFiles.path(dir, 5));
        CorruptLogException e = assertThrows(CorruptLogException.class, () -> KvStore.open(dir, SMALL));
        assertTrue(e.getMessage().contains("does not match"), e.getMessage());
    }

    @Test
    void unsealedCompactionOutputIsDiscardedOnOpen() {
        writeRecords(3);
        long id = SegmentFiles.list(dir).get(0) + 1;
        // A compaction that crashed half way: an unsealed output holding a stale copy.
        Segment output = Segment.create(dir, id, SegmentHeader.KIND_COMPACTION, SMALL.segmentBytes(), LogIo.REAL, () -> { });
        byte[] stale = RecordDescriptor.encodeSet("key01".getBytes(), "stale".getBytes());
        output.append(stale, 0, stale.length, 0);
        output.close();
        try (KvStore store = KvStore.open(dir, SMALL)) {
            assertEquals(Optional.of(String.format("%040d", 1)), store.get("key01"));
        }
        assertFalse(Files.exists(SegmentFiles.path(dir, id)));
    }

    @Test
    void lastSegmentWithBlankHeaderIsRemovedOnOpen() throws IOException {
        writeRecords(3);
        long id = SegmentFiles.list(dir).get(SegmentFiles.list(dir).size() - 1) + 1;
        Files.write(SegmentFiles.path(dir, id), new byte[10]);
        try (KvStore store = KvStore.open(dir, SMALL)) {
            assertEquals(Optional.of(String.format("%040d", 2)), store.get("key02"));
        }
        assertFalse(SegmentFiles.list(dir).contains(id) && Files.size(SegmentFiles.path(dir, id)) == 10);
    }

    static void flip(Path file, long offset) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer one = ByteBuffer.allocate(1);
            channel.read(one, offset);
            one.put(0, (byte) (one.get(0) ^ 0x10));
            one.rewind();
            channel.write(one, offset);
        }
    }
}
