package io.kvs.core.log;

import io.kvs.core.CorruptLogException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every boundary of {@link RecordScanner}: a record or header that ends exactly at the scan's
 * end, one byte short of it, or crosses it; zeros against garbage; records across the 256 KiB
 * read-ahead window and larger than it. The segment holds raw bytes appended by the test, so
 * each case is laid out exactly.
 */
class RecordScannerTest {

    /** The scanner's read-ahead window (RecordScanner.WINDOW_BYTES). */
    private static final int WINDOW_BYTES = 256 * 1024;
    private static final long CAPACITY = 1024 * 1024;

    @TempDir
    Path dir;
    private Segment segment;

    @BeforeEach
    void createSegment() {
        segment = Segment.create(dir, 1, SegmentHeader.KIND_LOG, CAPACITY, LogIo.REAL, () -> { });
    }

    @AfterEach
    void closeSegment() {
        segment.close();
    }

    /** Appends raw bytes; returns the offset they start at. */
    private long append(byte[] bytes) {
        return segment.append(bytes, 0, bytes.length, 0);
    }

    /** Appends bytes that are no record so that they land in the file exactly as given (undoing the salt). */
    private long appendRaw(byte[] bytes) {
        byte[] copy = bytes.clone();
        if (copy.length >= RecordDescriptor.HEADER_LENGTH) {
            LittleEndian.putInt(copy, 0, LittleEndian.getInt(copy, 0) ^ segment.checksumSalt());
        }
        return append(copy);
    }

    private static byte[] set(String key, String value) {
        return RecordDescriptor.encodeSet(key.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
    }

    /** A set record of exactly {@code length} bytes (at least 14). */
    private static byte[] setOfLength(int index, int length) {
        String key = "k" + index;
        return set(key, "v".repeat(length - RecordDescriptor.HEADER_LENGTH - key.length()));
    }

    /** Checks the next record is {@code record} at {@code offset}, as stored: its checksum salted. */
    private void assertRecord(RecordScanner scanner, long offset, byte[] record) {
        byte[] expected = record.clone();
        LittleEndian.putInt(expected, RecordDescriptor.CHECKSUM_OFFSET,
                RecordDescriptor.storedChecksum(record, 0) ^ segment.checksumSalt());
        assertEquals(RecordScanner.Step.RECORD, scanner.next(), "at " + offset);
        assertEquals(offset, scanner.offset());
        assertEquals(expected.length, scanner.length());
        byte[] actual = Arrays.copyOfRange(scanner.buffer(), scanner.bufferOffset(), scanner.bufferOffset() + scanner.length());
        assertArrayEquals(expected, actual, "record at " + offset);
    }

    @Test
    void scansRecordsInOrderAndEndsExactlyAtTheLastOne() {
        byte[] first = set("alpha", "one");
        byte[] tombstone = RecordDescriptor.encodeRemove("alpha".getBytes(StandardCharsets.UTF_8));
        byte[] empty = set("", "");
        long firstAt = append(first);
        long tombstoneAt = append(tombstone);
        long emptyAt = append(empty);
        RecordScanner scanner = new RecordScanner(segment, segment.writePosition());
        assertEquals(SegmentHeader.LENGTH, firstAt);
        assertRecord(scanner, firstAt, first);
        assertRecord(scanner, tombstoneAt, tombstone);
        assertRecord(scanner, emptyAt, empty);
        assertEquals(RecordScanner.Step.END, scanner.next());
        assertEquals(segment.writePosition(), scanner.offset());
    }

    @Test
    void emptySegmentEndsAtOnce() {
        RecordScanner scanner = new RecordScanner(segment, SegmentHeader.LENGTH);
        assertEquals(RecordScanner.Step.END, scanner.next());
        assertEquals(SegmentHeader.LENGTH, scanner.offset());
    }

    @Test
    void recordOneByteLongerThanTheScanIsInvalidAndAnnouncesItsLength() {
        byte[] first = set("a", "1");
        byte[] second = set("b", "22");
        append(first);
        long secondAt = append(second);
        RecordScanner scanner = new RecordScanner(segment, secondAt + second.length - 1);
        assertRecord(scanner, SegmentHeader.LENGTH, first);
        assertEquals(RecordScanner.Step.INVALID, scanner.next());
        assertEquals(secondAt, scanner.offset());
        assertEquals(second.length, scanner.announcedLength());
        assertFalse(scanner.validRecordAt(secondAt));
    }

    @Test
    void headerEndingExactlyAtTheScanEndAnnouncesItsLength() {
        byte[] first = set("a", "1");
        byte[] second = set("b", "22");
        append(first);
        long secondAt = append(second);
        RecordScanner scanner = new RecordScanner(segment, secondAt + RecordDescriptor.HEADER_LENGTH);
        assertRecord(scanner, SegmentHeader.LENGTH, first);
        assertEquals(RecordScanner.Step.INVALID, scanner.next());
        assertEquals(secondAt, scanner.offset());
        assertEquals(second.length, scanner.announcedLength());
    }

    @Test
    void headerCutByTheScanEndIsInvalidAndAnnouncesNothing() {
        byte[] first = set("a", "1");
        byte[] second = set("b", "22");
        append(first);
        long secondAt = append(second);
        // Five bytes of the header are inside the scan, the type byte among them (never zero).
        RecordScanner scanner = new RecordScanner(segment, secondAt + RecordDescriptor.TYPE_OFFSET + 1);
        assertRecord(scanner, SegmentHeader.LENGTH, first);
        assertEquals(RecordScanner.Step.INVALID, scanner.next());
        assertEquals(secondAt, scanner.offset());
        assertEquals(-1, scanner.announcedLength(), "the bytes past the end are not read");
        assertFalse(scanner.validRecordAt(secondAt));
    }

    @Test
    void zerosCutByTheScanEndAreBlankWhateverFollowsThem() {
        byte[] first = set("a", "1");
        append(first);
        long zerosAt = appendRaw(new byte[5]);
        append(set("b", "22"));
        RecordScanner scanner = new RecordScanner(segment, zerosAt + 5);
        assertRecord(scanner, SegmentHeader.LENGTH, first);
        assertEquals(RecordScanner.Step.BLANK, scanner.next());
        assertEquals(zerosAt, scanner.offset());
        assertEquals(-1, scanner.announcedLength());
    }

    @Test
    void zeroHeaderIsBlankEvenWhenDataFollowsIt() {
        byte[] first = set("a", "1");
        append(first);
        long zerosAt = appendRaw(new byte[RecordDescriptor.HEADER_LENGTH]);
        appendRaw(new byte[]{0x7F, 0x7F, 0x7F});
        RecordScanner scanner = new RecordScanner(segment, segment.writePosition());
        assertRecord(scanner, SegmentHeader.LENGTH, first);
        assertEquals(RecordScanner.Step.BLANK, scanner.next());
        assertEquals(zerosAt, scanner.offset());
    }

    @Test
    void headerThatCannotStartARecordIsInvalid() {
        byte[] garbage = new byte[RecordDescriptor.HEADER_LENGTH + 4];
        garbage[RecordDescriptor.TYPE_OFFSET] = 9;
        appendRaw(garbage);
        RecordScanner scanner = new RecordScanner(segment, segment.writePosition());
        assertEquals(RecordScanner.Step.INVALID, scanner.next());
        assertEquals(SegmentHeader.LENGTH, scanner.offset());
        assertEquals(-1, scanner.announcedLength());
        assertFalse(scanner.validRecordAt(SegmentHeader.LENGTH));
    }

    @Test
    void recordFailingItsChecksumIsInvalidButAnnouncesItsLength() {
        byte[] damaged = set("key", "value");
        damaged[damaged.length - 1] ^= 0x01;
        append(damaged);
        byte[] next = set("b", "2");
        long nextAt = append(next);
        RecordScanner scanner = new RecordScanner(segment, segment.writePosition());
        assertEquals(RecordScanner.Step.INVALID, scanner.next());
        assertEquals(SegmentHeader.LENGTH, scanner.offset());
        assertEquals(damaged.length, scanner.announcedLength());
        assertFalse(scanner.validRecordAt(SegmentHeader.LENGTH));
        assertTrue(scanner.validRecordAt(nextAt));
    }

    @Test
    void validRecordAtAcceptsTheFirstRecordAndOneEndingExactlyAtTheScanEnd() {
        byte[] first = set("a", "1");
        byte[] last = set("b", "22");
        append(first);
        long lastAt = append(last);
        RecordScanner scanner = new RecordScanner(segment, segment.writePosition());
        assertTrue(scanner.validRecordAt(SegmentHeader.LENGTH));
        assertTrue(scanner.validRecordAt(lastAt));
        assertFalse(scanner.validRecordAt(SegmentHeader.LENGTH - 1), "inside the segment header");
        assertFalse(scanner.validRecordAt(SegmentHeader.LENGTH + 1), "inside a record");
        assertFalse(scanner.validRecordAt(segment.writePosition()), "at the end");
    }

    @Test
    void validRecordAtAcceptsAHeaderOnlyRecordEndingExactlyAtTheScanEnd() {
        append(set("a", "1"));
        byte[] empty = set("", "");
        assertEquals(RecordDescriptor.HEADER_LENGTH, empty.length);
        long emptyAt = append(empty);
        RecordScanner scanner = new RecordScanner(segment, segment.writePosition());
        assertTrue(scanner.validRecordAt(emptyAt));
        assertFalse(new RecordScanner(segment, segment.writePosition() - 1).validRecordAt(emptyAt));
    }

    @Test
    void validRecordAtNearTheEndOfTheSegmentReadsNothingPastIt() {
        long capacity = segment.capacity();
        RecordScanner mapped = new RecordScanner(segment, capacity);
        RecordScanner throughFile = new RecordScanner(segment, capacity, true);
        for (RecordScanner scanner : List.of(mapped, throughFile)) {
            assertFalse(scanner.validRecordAt(capacity - 5));
            assertFalse(scanner.validRecordAt(capacity - RecordDescriptor.HEADER_LENGTH), "zeros");
            assertFalse(scanner.validRecordAt(capacity));
        }
        // What the bounds spare the scanner: a read past the segment is corruption.
        assertThrows(CorruptLogException.class, () -> segment.read(capacity - 5, new byte[13], 0, 13));
    }

    @Test
    void headerCutByTheEndOfTheSegmentIsBlankWithoutReadingPastIt() {
        RecordScanner scanner = new RecordScanner(segment, segment.capacity(), true);
        assertEquals(RecordScanner.Step.BLANK, scanner.next());
        scanner.resumeAt(segment.capacity() - 5);
        assertEquals(RecordScanner.Step.BLANK, scanner.next());
        assertEquals(segment.capacity() - 5, scanner.offset());
        assertEquals(-1, scanner.announcedLength());
    }

    @Test
    void resumeAtContinuesTheScanThere() {
        byte[] first = set("a", "1");
        byte[] second = set("b", "22");
        append(first);
        long secondAt = append(second);
        RecordScanner scanner = new RecordScanner(segment, segment.writePosition());
        assertSame(scanner, scanner.resumeAt(secondAt));
        assertRecord(scanner, secondAt, second);
        assertEquals(RecordScanner.Step.END, scanner.next());
    }

    /**
     * The first window covers [64, 64 + 256 KiB): a header starts five bytes before its end, so
     * the next window starts at that header; a record body crosses the end of the second one.
     */
    @ParameterizedTest(name = "throughFile={0}")
    @ValueSource(booleans = {false, true})
    void recordsAcrossTheWindowBoundariesAreReadWhole(boolean throughFile) {
        List<byte[]> records = new ArrayList<>();
        List<Long> offsets = new ArrayList<>();
        long firstWindowEnd = SegmentHeader.LENGTH + WINDOW_BYTES;
        appendUpTo(firstWindowEnd - 5, records, offsets);
        long secondWindowStart = segment.writePosition();
        appendUpTo(secondWindowStart + WINDOW_BYTES - 50, records, offsets);
        byte[] crossing = setOfLength(records.size(), 200);
        offsets.add(append(crossing));
        records.add(crossing);
        byte[] last = set("last", "record");
        offsets.add(append(last));
        records.add(last);

        RecordScanner scanner = new RecordScanner(segment, segment.writePosition(), throughFile);
        for (int i = 0; i < records.size(); i++) {
            assertRecord(scanner, offsets.get(i), records.get(i));
        }
        assertEquals(RecordScanner.Step.END, scanner.next());
        assertTrue(scanner.validRecordAt(secondWindowStart));
        assertTrue(scanner.validRecordAt(offsets.get(offsets.size() - 2)));
    }

    /** Appends records of about 1,000 bytes so that the next one starts exactly at {@code target}. */
    private void appendUpTo(long target, List<byte[]> records, List<Long> offsets) {
        while (segment.writePosition() < target) {
            long left = target - segment.writePosition();
            int length = left >= 2000 ? 1000 + records.size() % 7 : (int) left;
            byte[] record = setOfLength(records.size(), length);
            offsets.add(append(record));
            records.add(record);
        }
        assertEquals(target, segment.writePosition());
    }

    @ParameterizedTest(name = "throughFile={0}")
    @ValueSource(booleans = {false, true})
    void recordLargerThanTheWindowIsReadWhole(boolean throughFile) {
        byte[] small = set("a", "1");
        byte[] large = setOfLength(1, WINDOW_BYTES + 4096);
        byte[] after = set("b", "2");
        append(small);
        long largeAt = append(large);
        long afterAt = append(after);
        RecordScanner scanner = new RecordScanner(segment, segment.writePosition(), throughFile);
        assertRecord(scanner, SegmentHeader.LENGTH, small);
        assertRecord(scanner, largeAt, large);
        assertRecord(scanner, afterAt, after);
        assertEquals(RecordScanner.Step.END, scanner.next());
        assertTrue(new RecordScanner(segment, segment.writePosition(), throughFile).validRecordAt(largeAt));
    }
}
