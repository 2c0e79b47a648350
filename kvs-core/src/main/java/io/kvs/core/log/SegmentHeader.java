package io.kvs.core.log;

import io.kvs.core.CorruptLogException;

import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * The fixed header at the start of every segment file; {@code docs/FORMAT.md} specifies the same
 * in words.
 *
 * <pre>
 *   0        4        6      7       8                  16             20           24                 32             36          64
 *   +--------+--------+------+-------+------------------+--------------+------------+------------------+--------------+-----------+
 *   | magic  | version| kind | flags | segment id (u64) | header CRC32C| zero (u32) | sealed end (u64) | seal CRC32C  | zero ...  |
 *   +--------+--------+------+-------+------------------+--------------+------------+------------------+--------------+-----------+
 * </pre>
 *
 * The first 16 bytes never change after the file is created and carry their own checksum. The
 * seal (bytes 24 to 36) is written once, when the segment is full or compacted: it records where
 * the segment's records end, so that damage anywhere before that point is reported as corruption
 * instead of being mistaken for a torn tail. Records start at {@link #LENGTH}.
 */
final class SegmentHeader {

    /** "KVSL" in file byte order. */
    static final int MAGIC = 0x4C53564B;
    /**
     * The format version this code writes: 3, whose records' stored checksums are salted with the
     * segment id ({@link #checksumSalt}), so that a reused file's earlier records never verify in
     * its new life. Version 2 added the set-expiring, batch and metadata records
     * ({@link RecordDescriptor}).
     */
    static final int VERSION = 3;
    /** The first format version whose top-level records carry salted checksums. */
    static final int FIRST_SALTED_VERSION = 3;
    /** Multiplier of the checksum salt: odd, so the salt is a bijection of the id's low 32 bits. */
    private static final long SALT_MULTIPLIER = 0x9E3779B1L;
    /** The oldest format version this code reads: 1 (set and remove records only). */
    static final int OLDEST_READABLE_VERSION = 1;

    static final int MAGIC_OFFSET = 0;
    static final int VERSION_OFFSET = 4;
    static final int KIND_OFFSET = 6;
    static final int FLAGS_OFFSET = 7;
    static final int SEGMENT_ID_OFFSET = 8;
    static final int HEADER_CHECKSUM_OFFSET = 16;
    /** Bytes covered by the header checksum: magic, version, kind and id. */
    static final int HEADER_CHECKSUM_COVERAGE = 16;
    static final int SEALED_END_OFFSET = 24;
    static final int SEAL_CHECKSUM_OFFSET = 32;
    /** Bytes from the sealed end up to the end of the seal checksum. */
    static final int SEAL_LENGTH = 12;
    /** The header length; the first record starts here. */
    static final int LENGTH = 64;

    /** A segment appended to by writers. */
    static final byte KIND_LOG = 1;
    /** A segment written by compaction; discarded on open if it was never sealed. */
    static final byte KIND_COMPACTION = 2;

    /**
     * Flag: the segment was written by a store that keeps a {@link Manifest}, so a directory
     * holding it without a manifest has lost its manifest. Segments of older builds have no flags.
     */
    static final byte FLAG_MANIFEST = 1;
    /** Every flag this build knows. */
    static final byte KNOWN_FLAGS = FLAG_MANIFEST;

    private SegmentHeader() {
    }

    /** Encodes the header of a new, unsealed segment in this build's format. */
    static byte[] encode(long segmentId, byte kind) {
        return encode(segmentId, kind, VERSION);
    }

    /** Encodes the header of an unsealed segment of format {@code version} (a copy of an older segment). */
    static byte[] encode(long segmentId, byte kind, int version) {
        byte[] header = new byte[LENGTH];
        LittleEndian.putInt(header, MAGIC_OFFSET, MAGIC);
        LittleEndian.putShort(header, VERSION_OFFSET, version);
        header[KIND_OFFSET] = kind;
        header[FLAGS_OFFSET] = FLAG_MANIFEST;
        LittleEndian.putLong(header, SEGMENT_ID_OFFSET, segmentId);
        LittleEndian.putInt(header, HEADER_CHECKSUM_OFFSET, crc(header, 0, HEADER_CHECKSUM_COVERAGE));
        return header;
    }

    /** Encodes the seal: the sealed end and its checksum, {@link #SEAL_LENGTH} bytes. */
    static byte[] encodeSeal(long sealedEnd) {
        byte[] seal = new byte[SEAL_LENGTH];
        LittleEndian.putLong(seal, 0, sealedEnd);
        LittleEndian.putInt(seal, 8, crc(seal, 0, 8));
        return seal;
    }

    /**
     * What a top-level record's stored checksum is XORed with in segment {@code segmentId} of
     * format {@code version}: 0 before {@link #FIRST_SALTED_VERSION}, else the low 32 bits of
     * {@code segmentId * 0x9E3779B1}, never 0 for an id from 1 to 2^31 - 1, and different for
     * every id. A reused file's earlier records were stored under another salt (or none), so they
     * fail the check in its new life; the multiplication makes two salts differ in many bits (docs/FORMAT.md
     * gives figures), so that an earlier record with a bit or two flipped does not pass either.
     */
    static int checksumSalt(long segmentId, int version) {
        return version >= FIRST_SALTED_VERSION ? (int) (segmentId * SALT_MULTIPLIER) : 0;
    }

    /** The parsed header of an existing segment. */
    record Parsed(long segmentId, int version, byte kind, byte flags, long sealedEnd) {
        boolean sealed() {
            return sealedEnd > 0;
        }

        /** True if the segment was written by a store that keeps a manifest. */
        boolean manifestKept() {
            return (flags & FLAG_MANIFEST) != 0;
        }
    }

    /**
     * Parses and checks a header read from {@code file}.
     *
     * @throws CorruptLogException if the magic, version, kind or checksum is wrong
     */
    static Parsed parse(byte[] header, Path file) {
        if (LittleEndian.getInt(header, MAGIC_OFFSET) != MAGIC) {
            throw new CorruptLogException("not a kvs segment (bad magic)", file, MAGIC_OFFSET);
        }
        if (LittleEndian.getInt(header, HEADER_CHECKSUM_OFFSET) != crc(header, 0, HEADER_CHECKSUM_COVERAGE)) {
            throw new CorruptLogException("segment header checksum mismatch", file, 0);
        }
        int version = LittleEndian.getUnsignedShort(header, VERSION_OFFSET);
        if (version < OLDEST_READABLE_VERSION || version > VERSION) {
            throw new CorruptLogException("unsupported segment format version " + version
                    + " (this build reads versions " + OLDEST_READABLE_VERSION + " to " + VERSION + ")", file, VERSION_OFFSET);
        }
        byte kind = header[KIND_OFFSET];
        if (kind != KIND_LOG && kind != KIND_COMPACTION) {
            throw new CorruptLogException("unknown segment kind " + kind, file, KIND_OFFSET);
        }
        byte flags = header[FLAGS_OFFSET];
        if ((flags & ~KNOWN_FLAGS) != 0) {
            throw new CorruptLogException("unknown segment flags " + flags, file, FLAGS_OFFSET);
        }
        long segmentId = LittleEndian.getLong(header, SEGMENT_ID_OFFSET);
        long sealedEnd = LittleEndian.getLong(header, SEALED_END_OFFSET);
        int sealChecksum = LittleEndian.getInt(header, SEAL_CHECKSUM_OFFSET);
        boolean sealValid = sealedEnd >= LENGTH && sealChecksum == crc(header, SEALED_END_OFFSET, 8);
        // A seal that does not check out was torn while being written: the segment is unsealed.
        return new Parsed(segmentId, version, kind, flags, sealValid ? sealedEnd : 0);
    }

    /** True if the header bytes were never written (all zero), as after a crash during creation. */
    static boolean isBlank(byte[] header) {
        for (byte b : header) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private static int crc(byte[] bytes, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, offset, length);
        return (int) crc.getValue();
    }
}
