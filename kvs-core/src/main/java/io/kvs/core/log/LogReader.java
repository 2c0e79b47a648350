package io.kvs.core.log;

import io.kvs.core.CorruptLogException;
import io.kvs.core.Entry;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
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

    /** Turns a verified set record (at index 0 of a buffer) into what the caller returns. */
    @FunctionalInterface
    interface RecordDecoder<T> {
        T decode(byte[] record);
    }

    /** Decodes the value as UTF-8 (the String API). */
    static final RecordDecoder<String> STRING_VALUE = record -> new String(record,
            RecordDescriptor.valueOffset(record, 0), RecordDescriptor.valueBytes(record, 0), StandardCharsets.UTF_8);
    /** Copies the value's bytes. */
    static final RecordDecoder<byte[]> BYTES_VALUE = record -> {
        int at = RecordDescriptor.valueOffset(record, 0);
        return Arrays.copyOfRange(record, at, at + RecordDescriptor.valueBytes(record, 0));
    };
    /** Copies the value and its expiry. */
    static final RecordDecoder<Entry> ENTRY = record -> Entry.of(BYTES_VALUE.decode(record),
            RecordDescriptor.expiresAt(record, 0));

    /**
     * The decoded set record at {@code location} if its key equals {@code key} and it has not
     * expired by {@code clock} (read only for a record with an expiry), or null: the record
     * belongs to another key (a hash collision) or has expired.
     */
    <T> T valueIfKeyMatches(long location, byte[] key, Clock clock, RecordDecoder<T> decoder) {
        return valueIfKeyMatches(location, key, clock, 0, decoder);
    }

    /** As {@link #valueIfKeyMatches(long, byte[], Clock, RecordDecoder)}, with the time given. */
    <T> T valueIfKeyMatchesAt(long location, byte[] key, long nowMillis, RecordDecoder<T> decoder) {
        return valueIfKeyMatches(location, key, null, nowMillis, decoder);
    }

    /** The clock, if not null, is read only for a record with an expiry; else {@code nowMillis} is the time. */
    private <T> T valueIfKeyMatches(long location, byte[] key, Clock clock, long nowMillis, RecordDecoder<T> decoder) {
        Segment segment = segment(location);
        long offset = Location.offset(location);
        byte[] record = readRecord(segment, offset);
        int keyLength = RecordDescriptor.keyLength(record, 0);
        if (!keyEquals(record, keyLength, key, 0, key.length)) {
            return null;
        }
        byte type = RecordDescriptor.type(record, 0);
        if (!RecordDescriptor.isSet(type)) {
            throw new CorruptLogException("index points at a record that is not a set record", segment.file(), offset);
        }
        if (type == RecordDescriptor.TYPE_SET_EXPIRING
                && RecordDescriptor.expiresAt(record, 0) <= (clock != null ? clock.millis() : nowMillis)) {
            return null;
        }
        return decoder.decode(record);
    }

    /** Result of {@link #expiryIfKeyMatches} when the record belongs to another key. */
    static final long OTHER_KEY = -1;

    /**
     * The expiry of the set record at {@code location} ({@link Entry#NO_EXPIRY} if none) if its
     * key equals {@code key}, else {@link #OTHER_KEY}. Reads the header, key and expiry only.
     */
    long expiryIfKeyMatches(long location, byte[] key) {
        if (!keyEquals(location, key, 0, key.length)) {
            return OTHER_KEY;
        }
        return expiryAt(location, key.length);
    }

    /** The key of the set record at {@code location} (header and key read, value not). */
    byte[] keyAt(long location) {
        Segment segment = segment(location);
        long at = Location.offset(location);
        byte[] header = new byte[RecordDescriptor.HEADER_LENGTH];
        segment.read(at, header, 0, header.length);
        int recordLength = RecordDescriptor.plausibleLength(header, 0);
        if (recordLength < 0 || at + recordLength > segment.writePosition()
                || !RecordDescriptor.isSet(RecordDescriptor.type(header, 0))) {
            throw new CorruptLogException("invalid record header", segment.file(), at);
        }
        byte[] key = new byte[RecordDescriptor.keyLength(header, 0)];
        segment.read(at + RecordDescriptor.HEADER_LENGTH, key, 0, key.length);
        return key;
    }

    /**
     * The key of the set record at {@code location} if it has not expired by {@code nowMillis},
     * else null: the header, the expiry if there is one, and the key are read, the value not.
     * {@code scratch} holds at least {@link RecordDescriptor#HEADER_LENGTH} bytes.
     */
    byte[] keyIfLiveAt(long location, long nowMillis, byte[] scratch) {
        Segment segment = segment(location);
        long at = Location.offset(location);
        segment.read(at, scratch, 0, RecordDescriptor.HEADER_LENGTH);
        int recordLength = RecordDescriptor.plausibleLength(scratch, 0);
        byte type = RecordDescriptor.type(scratch, 0);
        if (recordLength < 0 || at + recordLength > segment.writePosition() || !RecordDescriptor.isSet(type)) {
            throw new CorruptLogException("invalid record header", segment.file(), at);
        }
        int keyLength = RecordDescriptor.keyLength(scratch, 0);
        if (type == RecordDescriptor.TYPE_SET_EXPIRING) {
            segment.read(at + RecordDescriptor.HEADER_LENGTH + keyLength, scratch, 0, RecordDescriptor.EXPIRY_LENGTH);
            if (LittleEndian.getLong(scratch, 0) <= nowMillis) {
                return null;
            }
        }
        byte[] key = new byte[keyLength];
        segment.read(at + RecordDescriptor.HEADER_LENGTH, key, 0, keyLength);
        return key;
    }

    /** The expiry of the set record at {@code location}, whose key is {@code keyLength} bytes long. */
    long expiryAt(long location, int keyLength) {
        Segment segment = segment(location);
        long at = Location.offset(location);
        byte[] buffer = SCRATCH.get();
        segment.read(at, buffer, 0, RecordDescriptor.HEADER_LENGTH);
        if (RecordDescriptor.type(buffer, 0) != RecordDescriptor.TYPE_SET_EXPIRING) {
            return Entry.NO_EXPIRY;
        }
        segment.read(at + RecordDescriptor.HEADER_LENGTH + keyLength, buffer, 0, RecordDescriptor.EXPIRY_LENGTH);
        long expiresAt = LittleEndian.getLong(buffer, 0);
        if (expiresAt <= 0) {
            throw new CorruptLogException("invalid expiry " + expiresAt, segment.file(), at);
        }
        return expiresAt;
    }

    /** The metadata held by the metadata record at {@code location}, verified. */
    byte[] metadataAt(long location) {
        Segment segment = segment(location);
        long offset = Location.offset(location);
        byte[] record = readRecord(segment, offset);
        if (RecordDescriptor.type(record, 0) != RecordDescriptor.TYPE_METADATA) {
            throw new CorruptLogException("metadata points at a record that is not a metadata record", segment.file(), offset);
        }
        return Arrays.copyOfRange(record, RecordDescriptor.HEADER_LENGTH,
                RecordDescriptor.HEADER_LENGTH + RecordDescriptor.valueLength(record, 0));
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

    /**
     * Reads and verifies the whole record at {@code location}; returns a buffer holding it at
     * index 0 (this thread's scratch buffer when it fits, valid until its next read).
     *
     * @throws CorruptLogException if the record does not verify
     */
    byte[] recordAt(long location) {
        return readRecord(segment(location), Location.offset(location));
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

    /**
     * Loads the record at {@code location} ({@link Segment#touch}), so that a read soon after
     * finds it in the caches; returns a sum of what it loaded (0 if its segment is not open).
     */
    int touch(long location) {
        Segment segment = segments.get(Location.segmentId(location));
        return segment == null ? 0 : segment.touch(Location.offset(location));
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
        int plain = RecordDescriptor.checksum(buffer, 0, length);
        int stored = RecordDescriptor.storedChecksum(buffer, 0);
        if (stored != plain) {
            // A top-level record in a salted segment; one inside a batch has a plain checksum.
            int salt = segment.checksumSalt();
            if (salt == 0 || (stored ^ salt) != plain) {
                throw new CorruptLogException("record checksum mismatch", segment.file(), offset);
            }
            // Returned records carry plain checksums, so that a copy (compaction) can be appended anywhere.
            LittleEndian.putInt(buffer, RecordDescriptor.CHECKSUM_OFFSET, plain);
        }
        return buffer;
    }

    private static boolean keyEquals(byte[] record, int recordKeyLength, byte[] key, int offset, int length) {
        return recordKeyLength == length
                && Arrays.equals(record, RecordDescriptor.HEADER_LENGTH, RecordDescriptor.HEADER_LENGTH + length,
                key, offset, offset + length);
    }
}
