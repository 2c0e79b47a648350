package io.kvs.core.log;

import io.kvs.core.KvsLimits;

import java.util.zip.CRC32C;

/**
 * The layout of one log record; {@code docs/FORMAT.md} specifies the same in words.
 *
 * <pre>
 *   0                   4      5                   9                  13
 *   +-------------------+------+-------------------+-------------------+------------+--------------+
 *   | checksum (u32)    | type | key length (u32)  | value length (u32)| key bytes  | value bytes  |
 *   +-------------------+------+-------------------+-------------------+------------+--------------+
 *                        \____________________ covered by the CRC32C checksum ___________________/
 * </pre>
 *
 * All integers are little-endian. The checksum is CRC32C over every byte of the record after the
 * checksum field. A {@link #TYPE_SET} record stores a key and its value (UTF-8); a
 * {@link #TYPE_REMOVE} record (a tombstone) stores only a key and a value length of zero.
 */
final class RecordDescriptor {

    /** Offset of the CRC32C checksum. */
    static final int CHECKSUM_OFFSET = 0;
    /** Offset of the record type byte; the checksum covers the record from here to its end. */
    static final int TYPE_OFFSET = 4;
    /** Offset of the key length. */
    static final int KEY_LENGTH_OFFSET = 5;
    /** Offset of the value length. */
    static final int VALUE_LENGTH_OFFSET = 9;
    /** Length of the fixed header; the key starts here, the value right after the key. */
    static final int HEADER_LENGTH = 13;

    /** A record that sets a key to a value. */
    static final byte TYPE_SET = 1;
    /** A record that removes a key (a tombstone). */
    static final byte TYPE_REMOVE = 2;

    /** The longest possible record. */
    static final int MAX_RECORD_LENGTH = HEADER_LENGTH + KvsLimits.MAX_KEY_BYTES + KvsLimits.MAX_VALUE_BYTES;

    private RecordDescriptor() {
    }

    /** The length of a record holding a key and a value of the given lengths. */
    static int recordLength(int keyLength, int valueLength) {
        return HEADER_LENGTH + keyLength + valueLength;
    }

    /** Encodes a set record for {@code key} and {@code value}, checksum included. */
    static byte[] encodeSet(byte[] key, byte[] value) {
        return encode(TYPE_SET, key, value);
    }

    /** Encodes a remove record (tombstone) for {@code key}, checksum included. */
    static byte[] encodeRemove(byte[] key) {
        return encode(TYPE_REMOVE, key, new byte[0]);
    }

    private static byte[] encode(byte type, byte[] key, byte[] value) {
        byte[] record = new byte[recordLength(key.length, value.length)];
        record[TYPE_OFFSET] = type;
        LittleEndian.putInt(record, KEY_LENGTH_OFFSET, key.length);
        LittleEndian.putInt(record, VALUE_LENGTH_OFFSET, value.length);
        System.arraycopy(key, 0, record, HEADER_LENGTH, key.length);
        System.arraycopy(value, 0, record, HEADER_LENGTH + key.length, value.length);
        LittleEndian.putInt(record, CHECKSUM_OFFSET, checksum(record, 0, record.length));
        return record;
    }

    /** Computes the checksum of the record of {@code length} bytes at {@code offset} in {@code buffer}. */
    static int checksum(byte[] buffer, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(buffer, offset + TYPE_OFFSET, length - TYPE_OFFSET);
        return (int) crc.getValue();
    }

    static int storedChecksum(byte[] buffer, int offset) {
        return LittleEndian.getInt(buffer, offset + CHECKSUM_OFFSET);
    }

    static byte type(byte[] buffer, int offset) {
        return buffer[offset + TYPE_OFFSET];
    }

    static int keyLength(byte[] buffer, int offset) {
        return LittleEndian.getInt(buffer, offset + KEY_LENGTH_OFFSET);
    }

    static int valueLength(byte[] buffer, int offset) {
        return LittleEndian.getInt(buffer, offset + VALUE_LENGTH_OFFSET);
    }

    /**
     * Checks the header at {@code offset} without the checksum: a known type, lengths within the
     * limits, no value on a tombstone. Returns the record length it announces, or -1 if the
     * header cannot start a valid record.
     */
    static int plausibleLength(byte[] buffer, int offset) {
        byte type = type(buffer, offset);
        int keyLength = keyLength(buffer, offset);
        int valueLength = valueLength(buffer, offset);
        if (keyLength < 0 || keyLength > KvsLimits.MAX_KEY_BYTES
                || valueLength < 0 || valueLength > KvsLimits.MAX_VALUE_BYTES) {
            return -1;
        }
        if (type == TYPE_SET || (type == TYPE_REMOVE && valueLength == 0)) {
            return recordLength(keyLength, valueLength);
        }
        return -1;
    }

    /** True if the complete record at {@code offset} carries the checksum of its contents. */
    static boolean checksumMatches(byte[] buffer, int offset, int length) {
        return storedChecksum(buffer, offset) == checksum(buffer, offset, length);
    }
}
