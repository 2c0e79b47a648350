package io.kvs.core.log;

import io.kvs.core.CorruptLogException;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads records at index locations and verifies them: bounds, header, checksum. A record that
 * fails is reported as {@link CorruptLogException}, never returned as data.
 *
 * <p>Thread-safe: each thread reads into a scratch buffer of its own. Callers are inside a
 * {@link ReadEpochs} read, so the segment stays mapped while it is read.
 */
final class LogReader {

    /** Records up to this length are read into the per-thread scratch buffer. */
    private static final int SCRATCH_BYTES = 16 * 1024;
    private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[SCRATCH_BYTES]);

    private final SegmentTable segments;

    LogReader(SegmentTable segments) {
        this.segments = segments;
    }

    /**
     * The value of the set record at {@code location} if its key equals {@code key}, or null if
     * the record belongs to another key (a hash collision).
     */
    String valueIfKeyMatches(long location, byte[] key) {
        Segment segment = segment(location);
        long offset = Location.offset(location);
        byte[] record = readRecord(segment, offset);
        int keyLength = RecordDescriptor.keyLength(record, 0);
        if (!keyEquals(record, keyLength, key, 0, key.length)) {
            return null;
        }
        if (RecordDescriptor.type(record, 0) != RecordDescriptor.TYPE_SET) {
            throw new CorruptLogException("index points at a record that is not a set record", segment.file(), offset);
        }
        return new String(record, RecordDescriptor.HEADER_LENGTH + keyLength,
                RecordDescriptor.valueLength(record, 0), StandardCharsets.UTF_8);
    }

    /**
     * True if the record at {@code location} has the key in {@code key[offset, offset + length)}.
     * Reads the header and the key only, never the value: the writer calls this under its lock,
     * and a replaced 16 MiB record must not cost 16 MiB of copying and checksumming there. The
     * checksum is verified by every read that returns the value.
     *
     * @throws CorruptLogException if the header is invalid or the record overruns the segment
     */
    boolean keyEquals(long location, byte[] key, int offset, int length) {
        Segment segment = segment(location);
        long at = Location.offset(location);
        byte[] buffer = SCRATCH.get();
        segment.read(at, buffer, 0, RecordDescriptor.HEADER_LENGTH);
        int recordLength = RecordDescriptor.plausibleLength(buffer, 0);
        if (recordLength < 0 || at + recordLength > segment.writePosition()) {
            throw new CorruptLogException("invalid record header", segment.file(), at);
        }
        int recordKeyLength = RecordDescriptor.keyLength(buffer, 0);
        if (recordKeyLength != length) {
            return false;
        }
        if (RecordDescriptor.HEADER_LENGTH + length > buffer.length) {
            buffer = new byte[RecordDescriptor.HEADER_LENGTH + length];
        }
        segment.read(at + RecordDescriptor.HEADER_LENGTH, buffer, RecordDescriptor.HEADER_LENGTH, length);
        return keyEquals(buffer, recordKeyLength, key, offset, length);
    }

    /** The length of the record at {@code location}, read from its header. */
    int recordLength(long location) {
        Segment segment = segment(location);
        long offset = Location.offset(location);
        byte[] header = SCRATCH.get();
        segment.read(offset, header, 0, RecordDescriptor.HEADER_LENGTH);
        int length = RecordDescriptor.plausibleLength(header, 0);
        if (length < 0) {
            throw new CorruptLogException("invalid record header", segment.file(), offset);
        }
        return length;
    }

    /** The segment a location points into. */
    Segment segment(long location) {
        Segment segment = segments.get(Location.segmentId(location));
        if (segment == null) {
            throw new CorruptLogException("the index points into a segment that is not open",
                    segments.pathOf(Location.segmentId(location)), Location.offset(location));
        }
        return segment;
    }

    /**
     * Reads and verifies the whole record at {@code offset}; returns a buffer holding it at index
     * 0 (the thread's scratch buffer when it fits, valid until this thread's next read).
     */
    private static byte[] readRecord(Segment segment, long offset) {
        byte[] buffer = SCRATCH.get();
        segment.read(offset, buffer, 0, RecordDescriptor.HEADER_LENGTH);
        int length = RecordDescriptor.plausibleLength(buffer, 0);
        if (length < 0 || offset + length > segment.writePosition()) {
            throw new CorruptLogException("invalid record header", segment.file(), offset);
        }
        if (length > buffer.length) {
            buffer = Arrays.copyOf(buffer, length);
        }
        segment.read(offset + RecordDescriptor.HEADER_LENGTH, buffer, RecordDescriptor.HEADER_LENGTH,
                length - RecordDescriptor.HEADER_LENGTH);
        if (!RecordDescriptor.checksumMatches(buffer, 0, length)) {
            throw new CorruptLogException("record checksum mismatch", segment.file(), offset);
        }
        return buffer;
    }

    private static boolean keyEquals(byte[] record, int recordKeyLength, byte[] key, int offset, int length) {
        return recordKeyLength == length
                && Arrays.equals(record, RecordDescriptor.HEADER_LENGTH, RecordDescriptor.HEADER_LENGTH + length,
                key, offset, offset + length);
    }
}
