package io.kvs.core.log;

import io.kvs.core.Entry;
import io.kvs.core.KvsLimits;

import java.util.List;
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
 * checksum field; in a format-3 segment a top-level record stores it XORed with the segment's
 * salt ({@link SegmentHeader#checksumSalt}, applied by {@link Segment#append}), a record inside a
 * batch stores it plain. Encoded records in memory always carry plain checksums. The types (format 1 has the first two; format 2, all five):
 *
 * <ul>
 *   <li>{@link #TYPE_SET}: a key and its value.
 *   <li>{@link #TYPE_REMOVE}: a tombstone: a key, value length zero.
 *   <li>{@link #TYPE_SET_EXPIRING}: a key and its value with an expiry: the value field starts
 *       with the expiry time (u64, milliseconds since the epoch), the value follows; the value
 *       length counts both.
 *   <li>{@link #TYPE_BATCH}: the records of one transaction, written and verified as one: the key
 *       length field holds the number of records, the value length field their total length, and
 *       the records follow (each a complete record of type set, remove, set-expiring or metadata,
 *       with its own checksum). The record's checksum covers them all, so a torn batch is dropped
 *       whole.
 *   <li>{@link #TYPE_METADATA}: the metadata of a transaction: key length zero, the metadata as
 *       the value.
 * </ul>
 */
final class RecordDescriptor {

    /** Offset of the CRC32C checksum. */
    static final int CHECKSUM_OFFSET = 0;
    /** Offset of the record type byte; the checksum covers the record from here to its end. */
    static final int TYPE_OFFSET = 4;
    /** Offset of the key length (the record count of a batch). */
    static final int KEY_LENGTH_OFFSET = 5;
    /** Offset of the value length (the length of a batch's records). */
    static final int VALUE_LENGTH_OFFSET = 9;
    /** Length of the fixed header; the key starts here, the value right after the key. */
    static final int HEADER_LENGTH = 13;
    /** Length of the expiry time at the start of a {@link #TYPE_SET_EXPIRING} record's value field. */
    static final int EXPIRY_LENGTH = 8;

    /** A record that sets a key to a value. */
    static final byte TYPE_SET = 1;
    /** A record that removes a key (a tombstone). */
    static final byte TYPE_REMOVE = 2;
    /** A record that sets a key to a value that expires (format 2). */
    static final byte TYPE_SET_EXPIRING = 3;
    /** A record holding the records of one transaction (format 2). */
    static final byte TYPE_BATCH = 4;
    /** A record holding a transaction's metadata (format 2). */
    static final byte TYPE_METADATA = 5;

    /** The longest possible record: a batch of {@link KvsLimits#MAX_BATCH_BYTES}. */
    static final int MAX_RECORD_LENGTH = HEADER_LENGTH + KvsLimits.MAX_BATCH_BYTES;
    /** The longest single (non-batch) record. */
    static final int MAX_SINGLE_RECORD_LENGTH = HEADER_LENGTH + KvsLimits.MAX_KEY_BYTES + EXPIRY_LENGTH
            + KvsLimits.MAX_VALUE_BYTES;

    private RecordDescriptor() {
    }

    /** The length of a set record holding a key and a value of the given lengths. */
    static int recordLength(int keyLength, int valueLength) {
        return HEADER_LENGTH + keyLength + valueLength;
    }

    /** Encodes a set record for {@code key} and {@code value}, checksum included. */
    static byte[] encodeSet(byte[] key, byte[] value) {
        return encode(TYPE_SET, key, value, 0, false);
    }

    /** Strings up to this many chars are encoded into the record directly; longer ones through {@code String.getBytes}. */
    private static final int DIRECT_ENCODING_MAX_CHARS = 64;

    /**
     * Encodes a set record of a string key and value as UTF-8, checked as {@link KvsLimits#encodeKey}
     * and {@link KvsLimits#encodeValue} check them: short strings are written into the record
     * directly, with no intermediate arrays (the String API's sets are mostly short).
     */
    static byte[] encodeSet(String key, String value) {
        if (key.length() > DIRECT_ENCODING_MAX_CHARS || value.length() > DIRECT_ENCODING_MAX_CHARS) {
            return encodeSet(KvsLimits.encodeKey(key), KvsLimits.encodeValue(value));
        }
        byte[] record;
        if (Utf8.isAscii(key) && Utf8.isAscii(value)) {
            record = setRecordHeader(key.length(), value.length());
            Utf8.copyAscii(key, record, HEADER_LENGTH);
            Utf8.copyAscii(value, record, HEADER_LENGTH + key.length());
        } else {
            int keyLength = Utf8.length(key, "key");
            int valueLength = Utf8.length(value, "value");
            record = setRecordHeader(keyLength, valueLength);
            Utf8.encode(key, record, HEADER_LENGTH);
            Utf8.encode(value, record, HEADER_LENGTH + keyLength);
        }
        LittleEndian.putInt(record, CHECKSUM_OFFSET, checksum(record, 0, record.length));
        return record;
    }

    /**
     * Encodes a set record of an ASCII key and value into {@code target} from index 0 and returns
     * its length, or -1 (nothing meaningful written) if either string is not ASCII or the record
     * would not fit: the caller then uses {@link #encodeSet(String, String)}. The String API's
     * sets are mostly short ASCII, and a reused target saves each of them an array.
     */
    static int encodeAsciiSetInto(String key, String value, byte[] target) {
        int keyLength = key.length();
        int valueLength = value.length();
        int length = recordLength(keyLength, valueLength);
        if (length > target.length || !Utf8.isAscii(key) || !Utf8.isAscii(value)) {
            return -1;
        }
        target[TYPE_OFFSET] = TYPE_SET;
        LittleEndian.putInt(target, KEY_LENGTH_OFFSET, keyLength);
        LittleEndian.putInt(target, VALUE_LENGTH_OFFSET, valueLength);
        Utf8.copyAscii(key, target, HEADER_LENGTH);
        Utf8.copyAscii(value, target, HEADER_LENGTH + keyLength);
        LittleEndian.putInt(target, CHECKSUM_OFFSET, checksum(target, 0, length));
        return length;
    }

    /** A set record of the given lengths with its header filled in (not its checksum). */
    private static byte[] setRecordHeader(int keyLength, int valueLength) {
        byte[] record = new byte[recordLength(keyLength, valueLength)];
        record[TYPE_OFFSET] = TYPE_SET;
        LittleEndian.putInt(record, KEY_LENGTH_OFFSET, keyLength);
        LittleEndian.putInt(record, VALUE_LENGTH_OFFSET, valueLength);
        return record;
    }

    /** Encodes a set record with an expiry ({@link Entry#NO_EXPIRY}: a plain set record). */
    static byte[] encodeSet(byte[] key, byte[] value, long expiresAtMillis) {
        if (expiresAtMillis == Entry.NO_EXPIRY) {
            return encodeSet(key, value);
        }
        return encode(TYPE_SET_EXPIRING, key, value, expiresAtMillis, true);
    }

    /** Encodes a remove record (tombstone) for {@code key}, checksum included. */
    static byte[] encodeRemove(byte[] key) {
        return encode(TYPE_REMOVE, key, new byte[0], 0, false);
    }

    /** Encodes a metadata record. */
    static byte[] encodeMetadata(byte[] metadata) {
        return encode(TYPE_METADATA, new byte[0], metadata, 0, false);
    }

    /** The length of a batch record holding records of {@code recordsLength} bytes in all. */
    static int batchLength(long recordsLength) {
        return Math.toIntExact(HEADER_LENGTH + recordsLength);
    }

    /** Encodes a batch record of {@code records} (each encoded, checksum included), checksum included. */
    static byte[] encodeBatch(List<byte[]> records) {
        long total = 0;
        for (byte[] record : records) {
            total += record.length;
        }
        byte[] batch = new byte[batchLength(total)];
        batch[TYPE_OFFSET] = TYPE_BATCH;
        LittleEndian.putInt(batch, KEY_LENGTH_OFFSET, records.size());
        LittleEndian.putInt(batch, VALUE_LENGTH_OFFSET, (int) total);
        int at = HEADER_LENGTH;
        for (byte[] record : records) {
            System.arraycopy(record, 0, batch, at, record.length);
            at += record.length;
        }
        LittleEndian.putInt(batch, CHECKSUM_OFFSET, checksum(batch, 0, batch.length));
        return batch;
    }

    private static byte[] encode(byte type, byte[] key, byte[] value, long expiresAtMillis, boolean expiring) {
        byte[] record = new byte[recordLength(key.length, value.length + (expiring ? EXPIRY_LENGTH : 0))];
        encodeInto(type, key, value, expiresAtMillis, expiring, record);
        return record;
    }

    /**
     * Encodes a set record of {@code key} and {@code value} (with its expiry unless it is
     * {@link Entry#NO_EXPIRY}) into {@code target} from index 0 and returns its length, or -1
     * (nothing meaningful written) if it would not fit: the caller then uses
     * {@link #encodeSet(byte[], byte[], long)}. A reused target saves each short set an array.
     */
    static int encodeSetInto(byte[] key, byte[] value, long expiresAtMillis, byte[] target) {
        boolean expiring = expiresAtMillis != Entry.NO_EXPIRY;
        long length = (long) HEADER_LENGTH + key.length + value.length + (expiring ? EXPIRY_LENGTH : 0);
        if (length > target.length) {
            return -1;
        }
        return encodeInto(expiring ? TYPE_SET_EXPIRING : TYPE_SET, key, value, expiresAtMillis, expiring, target);
    }

    /** Writes the record into {@code record} from index 0, checksum included; returns its length. */
    private static int encodeInto(byte type, byte[] key, byte[] value, long expiresAtMillis, boolean expiring,
                                  byte[] record) {
        int valueField = value.length + (expiring ? EXPIRY_LENGTH : 0);
        int length = recordLength(key.length, valueField);
        record[TYPE_OFFSET] = type;
        LittleEndian.putInt(record, KEY_LENGTH_OFFSET, key.length);
        LittleEndian.putInt(record, VALUE_LENGTH_OFFSET, valueField);
        System.arraycopy(key, 0, record, HEADER_LENGTH, key.length);
        int valueAt = HEADER_LENGTH + key.length;
        if (expiring) {
            LittleEndian.putLong(record, valueAt, expiresAtMillis);
            valueAt += EXPIRY_LENGTH;
        }
        System.arraycopy(value, 0, record, valueAt, value.length);
        LittleEndian.putInt(record, CHECKSUM_OFFSET, checksum(record, 0, length));
        return length;
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

    /** The key length of a single record (the record count of a batch). */
    static int keyLength(byte[] buffer, int offset) {
        return LittleEndian.getInt(buffer, offset + KEY_LENGTH_OFFSET);
    }

    /** The value field's length (expiry included for a set-expiring record). */
    static int valueLength(byte[] buffer, int offset) {
        return LittleEndian.getInt(buffer, offset + VALUE_LENGTH_OFFSET);
    }

    /** True for the records that set a key (with or without expiry). */
    static boolean isSet(byte type) {
        return type == TYPE_SET || type == TYPE_SET_EXPIRING;
    }

    /** Where the value of the set record at {@code offset} starts, after its key (and expiry). */
    static int valueOffset(byte[] buffer, int offset) {
        int at = offset + HEADER_LENGTH + keyLength(buffer, offset);
        return type(buffer, offset) == TYPE_SET_EXPIRING ? at + EXPIRY_LENGTH : at;
    }

    /** The length of the value of the set record at {@code offset} (without its expiry). */
    static int valueBytes(byte[] buffer, int offset) {
        int length = valueLength(buffer, offset);
        return type(buffer, offset) == TYPE_SET_EXPIRING ? length - EXPIRY_LENGTH : length;
    }

    /** The expiry of the set record at {@code offset}, or {@link Entry#NO_EXPIRY}. */
    static long expiresAt(byte[] buffer, int offset) {
        if (type(buffer, offset) != TYPE_SET_EXPIRING) {
            return Entry.NO_EXPIRY;
        }
        return LittleEndian.getLong(buffer, offset + HEADER_LENGTH + keyLength(buffer, offset));
    }

    /**
     * Checks the header at {@code offset} without the checksum: a known type, lengths within the
     * limits, no value on a tombstone, no key on metadata. Returns the record length it
     * announces, or -1 if the header cannot start a valid record.
     */
    static int plausibleLength(byte[] buffer, int offset) {
        byte type = type(buffer, offset);
        int keyLength = keyLength(buffer, offset);
        int valueLength = valueLength(buffer, offset);
        if (type == TYPE_BATCH) {
            return keyLength >= 1 && valueLength >= (long) keyLength * HEADER_LENGTH && valueLength <= KvsLimits.MAX_BATCH_BYTES
                    ? HEADER_LENGTH + valueLength : -1;
        }
        if (keyLength < 0 || keyLength > KvsLimits.MAX_KEY_BYTES || valueLength < 0) {
            return -1;
        }
        boolean valid = switch (type) {
            case TYPE_SET -> valueLength <= KvsLimits.MAX_VALUE_BYTES;
            case TYPE_REMOVE -> valueLength == 0;
            case TYPE_SET_EXPIRING -> valueLength >= EXPIRY_LENGTH && valueLength <= KvsLimits.MAX_VALUE_BYTES + EXPIRY_LENGTH;
            case TYPE_METADATA -> keyLength == 0 && valueLength <= KvsLimits.MAX_METADATA_BYTES;
            default -> false;
        };
        return valid ? recordLength(keyLength, valueLength) : -1;
    }

    /** True if the complete record at {@code offset} carries the checksum of its contents. */
    static boolean checksumMatches(byte[] buffer, int offset, int length) {
        return storedChecksum(buffer, offset) == checksum(buffer, offset, length);
    }

    /**
     * True if the complete top-level record at {@code offset} carries the checksum of its
     * contents XORed with {@code salt}, its segment's ({@link SegmentHeader#checksumSalt}; 0 for
     * format 1 and 2). Records inside a batch carry plain checksums.
     */
    static boolean checksumMatches(byte[] buffer, int offset, int length, int salt) {
        return (storedChecksum(buffer, offset) ^ salt) == checksum(buffer, offset, length);
    }

    /**
     * True if the batch record of {@code length} bytes at {@code offset} holds exactly the number
     * of records it announces, each plausible, not a batch itself, with its own checksum, and
     * together filling the batch. A batch that passes its checksum and fails this was written
     * wrong, which is corruption.
     */
    static boolean batchIsWellFormed(byte[] buffer, int offset, int length) {
        int count = keyLength(buffer, offset);
        int at = offset + HEADER_LENGTH;
        int end = offset + length;
        for (int i = 0; i < count; i++) {
            if (at + HEADER_LENGTH > end || type(buffer, at) == TYPE_BATCH) {
                return false;
            }
            int inner = plausibleLength(buffer, at);
            if (inner < 0 || at + inner > end || !checksumMatches(buffer, at, inner)) {
                return false;
            }
            at += inner;
        }
        return at == end;
    }
}
