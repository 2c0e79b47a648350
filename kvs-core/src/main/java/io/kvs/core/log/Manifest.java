package io.kvs.core.log;

import io.kvs.core.CorruptLogException;
import io.kvs.core.StorageException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * The store's record of its own file set, kept in {@value SegmentFiles#MANIFEST_FILE_NAME}:
 * which segments must exist, which may exist without being listed, and which are on their way
 * out. {@code docs/FORMAT.md} specifies the same in words.
 *
 * <pre>
 *   0      4        6      8              16                   24                  32           36             40
 *   +------+--------+------+--------------+--------------------+-------------------+------------+--------------+----------------+--------------------+---------+
 *   | magic| version| zero | next id (u64)| output first (u64) | output last (u64) | live count | obsolete cnt | live ids (u64) | obsolete ids (u64) | CRC32C  |
 *   +------+--------+------+--------------+--------------------+-------------------+------------+--------------+----------------+--------------------+---------+
 * </pre>
 *
 * <p>On open: every live id must have its file, else a segment is missing; a segment file that is
 * not listed is accounted for only if its id is at least {@code nextId} (created after this
 * manifest was written), inside the output range of a compaction in progress, or obsolete; an
 * unlisted, empty leftover is deleted; anything else is a file the store did not write.
 * Immutable; the ids are ascending.
 */
record Manifest(long nextId, long outputFirst, long outputLast, long[] live, long[] obsolete) {

    /** "KVSM" in file byte order. */
    static final int MAGIC = 0x4D53564B;
    /** The manifest format version. */
    static final int VERSION = 1;

    static final int MAGIC_OFFSET = 0;
    static final int VERSION_OFFSET = 4;
    static final int NEXT_ID_OFFSET = 8;
    static final int OUTPUT_FIRST_OFFSET = 16;
    static final int OUTPUT_LAST_OFFSET = 24;
    static final int LIVE_COUNT_OFFSET = 32;
    static final int OBSOLETE_COUNT_OFFSET = 36;
    /** Bytes before the id lists. */
    static final int HEADER_LENGTH = 40;
    /** Bytes of one id. */
    static final int ID_LENGTH = 8;
    /** Bytes of the trailing checksum, which covers everything before it. */
    static final int CHECKSUM_LENGTH = 4;
    /** The most ids one list may hold (8 Mi): bounds what a damaged count or size can make us read. */
    static final long MAX_IDS = 1L << 23;
    /** The largest manifest file accepted. */
    static final long MAX_FILE_BYTES = HEADER_LENGTH + 2 * MAX_IDS * ID_LENGTH + CHECKSUM_LENGTH;

    /** A manifest of {@code live} segments with no compaction in progress and nothing obsolete. */
    static Manifest of(long nextId, long[] live) {
        return new Manifest(nextId, 0, 0, live, new long[0]);
    }

    /** True if {@code id} is listed as live. */
    boolean isLive(long id) {
        return Arrays.binarySearch(live, id) >= 0;
    }

    /** True if {@code id} is listed as obsolete: its file may be left over and is deleted. */
    boolean isObsolete(long id) {
        return Arrays.binarySearch(obsolete, id) >= 0;
    }

    /** True if {@code id} lies in the output range of the compaction that was in progress. */
    boolean isCompactionOutput(long id) {
        return outputFirst > 0 && id >= outputFirst && id <= outputLast;
    }

    /** Encodes the manifest, checksum included. */
    byte[] encode() {
        byte[] bytes = new byte[HEADER_LENGTH + (live.length + obsolete.length) * ID_LENGTH + CHECKSUM_LENGTH];
        LittleEndian.putInt(bytes, MAGIC_OFFSET, MAGIC);
        LittleEndian.putShort(bytes, VERSION_OFFSET, VERSION);
        LittleEndian.putLong(bytes, NEXT_ID_OFFSET, nextId);
        LittleEndian.putLong(bytes, OUTPUT_FIRST_OFFSET, outputFirst);
        LittleEndian.putLong(bytes, OUTPUT_LAST_OFFSET, outputLast);
        LittleEndian.putInt(bytes, LIVE_COUNT_OFFSET, live.length);
        LittleEndian.putInt(bytes, OBSOLETE_COUNT_OFFSET, obsolete.length);
        int at = HEADER_LENGTH;
        for (long id : live) {
            LittleEndian.putLong(bytes, at, id);
            at += ID_LENGTH;
        }
        for (long id : obsolete) {
            LittleEndian.putLong(bytes, at, id);
            at += ID_LENGTH;
        }
        LittleEndian.putInt(bytes, at, crc(bytes, at));
        return bytes;
    }

    /**
     * Parses a manifest read from {@code file}.
     *
     * @throws CorruptLogException if the magic, version, lengths, ids or checksum are wrong
     */
    static Manifest parse(byte[] bytes, Path file) {
        if (bytes.length < HEADER_LENGTH + CHECKSUM_LENGTH) {
            throw new CorruptLogException("manifest is truncated (" + bytes.length + " bytes)", file, 0);
        }
        if (LittleEndian.getInt(bytes, MAGIC_OFFSET) != MAGIC) {
            throw new CorruptLogException("not a kvs manifest (bad magic)", file, MAGIC_OFFSET);
        }
        long liveCount = Integer.toUnsignedLong(LittleEndian.getInt(bytes, LIVE_COUNT_OFFSET));
        long obsoleteCount = Integer.toUnsignedLong(LittleEndian.getInt(bytes, OBSOLETE_COUNT_OFFSET));
        long expected = HEADER_LENGTH + (liveCount + obsoleteCount) * ID_LENGTH + CHECKSUM_LENGTH;
        if (liveCount > MAX_IDS || obsoleteCount > MAX_IDS || expected != bytes.length) {
            throw new CorruptLogException("manifest length " + bytes.length + " does not match its counts",
                    file, LIVE_COUNT_OFFSET);
        }
        int checksumAt = bytes.length - CHECKSUM_LENGTH;
        if (LittleEndian.getInt(bytes, checksumAt) != crc(bytes, checksumAt)) {
            throw new CorruptLogException("manifest checksum mismatch", file, checksumAt);
        }
        int version = LittleEndian.getUnsignedShort(bytes, VERSION_OFFSET);
        if (version != VERSION) {
            throw new CorruptLogException("unsupported manifest version " + version
                    + " (this build reads version " + VERSION + ")", file, VERSION_OFFSET);
        }
        long nextId = LittleEndian.getLong(bytes, NEXT_ID_OFFSET);
        long outputFirst = LittleEndian.getLong(bytes, OUTPUT_FIRST_OFFSET);
        long outputLast = LittleEndian.getLong(bytes, OUTPUT_LAST_OFFSET);
        long[] live = readIds(bytes, HEADER_LENGTH, (int) liveCount, nextId, file);
        long[] obsolete = readIds(bytes, HEADER_LENGTH + (int) liveCount * ID_LENGTH, (int) obsoleteCount, nextId, file);
        if (nextId < 1 || nextId > Location.MAX_SEGMENT_ID + 1 || outputFirst < 0 || outputLast < outputFirst) {
            throw new CorruptLogException("manifest ids out of range", file, NEXT_ID_OFFSET);
        }
        return new Manifest(nextId, outputFirst, outputLast, live, obsolete);
    }

    /**
     * Reads the manifest of {@code dir}, or empty if there is none.
     *
     * @throws CorruptLogException if it exists but does not parse
     * @throws StorageException if it cannot be read
     */
    static Optional<Manifest> read(Path dir) {
        Path file = SegmentFiles.manifestPath(dir);
        try {
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                throw new CorruptLogException("manifest is too large (" + size + " bytes)", file, 0);
            }
            return Optional.of(parse(Files.readAllBytes(file), file));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new StorageException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static long[] readIds(byte[] bytes, int from, int count, long nextId, Path file) {
        long[] ids = new long[count];
        long previous = 0;
        for (int i = 0; i < count; i++) {
            long id = LittleEndian.getLong(bytes, from + i * ID_LENGTH);
            if (id <= previous || id >= nextId) {
                throw new CorruptLogException("manifest lists segment id " + id + " out of order or range",
                        file, from + (long) i * ID_LENGTH);
            }
            ids[i] = id;
            previous = id;
        }
        return ids;
    }

    private static int crc(byte[] bytes, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, length);
        return (int) crc.getValue();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Manifest m && nextId == m.nextId && outputFirst == m.outputFirst
                && outputLast == m.outputLast && Arrays.equals(live, m.live) && Arrays.equals(obsolete, m.obsolete);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(nextId) * 31 + Arrays.hashCode(live);
    }

    @Override
    public String toString() {
        return "Manifest{nextId=" + nextId + ", live=" + Arrays.toString(live)
                + (outputFirst > 0 ? ", compaction output " + outputFirst + ".." + outputLast : "")
                + (obsolete.length > 0 ? ", obsolete=" + Arrays.toString(obsolete) : "") + '}';
    }
}
