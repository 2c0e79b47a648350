package io.kvs.core.log;

import io.kvs.core.KvsLimits;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Pins every constant of the on-disk format to the values docs/FORMAT.md gives, and the worked
 * example there byte for byte. A change here is a format change: bump the version and the doc.
 */
class FormatDescriptorTest {

    @Test
    void recordLayoutMatchesFormatDoc() {
        assertEquals(0, RecordDescriptor.CHECKSUM_OFFSET);
        assertEquals(4, RecordDescriptor.TYPE_OFFSET);
        assertEquals(5, RecordDescriptor.KEY_LENGTH_OFFSET);
        assertEquals(9, RecordDescriptor.VALUE_LENGTH_OFFSET);
        assertEquals(13, RecordDescriptor.HEADER_LENGTH);
        assertEquals(1, RecordDescriptor.TYPE_SET);
        assertEquals(2, RecordDescriptor.TYPE_REMOVE);
        assertEquals(3, RecordDescriptor.TYPE_SET_EXPIRING);
        assertEquals(4, RecordDescriptor.TYPE_BATCH);
        assertEquals(5, RecordDescriptor.TYPE_METADATA);
        assertEquals(8, RecordDescriptor.EXPIRY_LENGTH);
        assertEquals(13 + 67_108_864, RecordDescriptor.MAX_RECORD_LENGTH);
        assertEquals(13 + 65_536 + 8 + 16_777_216, RecordDescriptor.MAX_SINGLE_RECORD_LENGTH);
        assertEquals(67_108_864, KvsLimits.MAX_BATCH_BYTES);
        assertEquals(65_536, KvsLimits.MAX_METADATA_BYTES);
        assertEquals(65_536, KvsLimits.MAX_KEY_BYTES);
        assertEquals(16_777_216, KvsLimits.MAX_VALUE_BYTES);
        assertEquals(13 + 3 + 5, RecordDescriptor.recordLength(3, 5));
    }

    @Test
    void segmentHeaderLayoutMatchesFormatDoc() {
        assertEquals(0x4C53564B, SegmentHeader.MAGIC);
        assertEquals(3, SegmentHeader.VERSION);
        assertEquals(3, SegmentHeader.FIRST_SALTED_VERSION);
        assertEquals(1, SegmentHeader.OLDEST_READABLE_VERSION);
        assertEquals(0, SegmentHeader.MAGIC_OFFSET);
        assertEquals(4, SegmentHeader.VERSION_OFFSET);
        assertEquals(6, SegmentHeader.KIND_OFFSET);
        assertEquals(7, SegmentHeader.FLAGS_OFFSET);
        assertEquals(1, SegmentHeader.FLAG_MANIFEST);
        assertEquals(8, SegmentHeader.SEGMENT_ID_OFFSET);
        assertEquals(16, SegmentHeader.HEADER_CHECKSUM_OFFSET);
        assertEquals(16, SegmentHeader.HEADER_CHECKSUM_COVERAGE);
        assertEquals(24, SegmentHeader.SEALED_END_OFFSET);
        assertEquals(32, SegmentHeader.SEAL_CHECKSUM_OFFSET);
        assertEquals(12, SegmentHeader.SEAL_LENGTH);
        assertEquals(64, SegmentHeader.LENGTH);
        assertEquals(1, SegmentHeader.KIND_LOG);
        assertEquals(2, SegmentHeader.KIND_COMPACTION);
    }

    @Test
    void workedExampleRecordMatchesFormatDoc() {
        byte[] record = RecordDescriptor.encodeSet("a".getBytes(StandardCharsets.UTF_8), "1".getBytes(StandardCharsets.UTF_8));
        // CRC32C of 01 01000000 01000000 61 31 is 0x48702646, stored little-endian.
        assertEquals("46267048" + "01" + "01000000" + "01000000" + "61" + "31", HexFormat.of().formatHex(record));
        byte[] tombstone = RecordDescriptor.encodeRemove("a".getBytes(StandardCharsets.UTF_8));
        assertEquals(RecordDescriptor.recordLength(1, 0), tombstone.length);
        assertEquals("02" + "01000000" + "00000000" + "61", HexFormat.of().formatHex(tombstone, 4, tombstone.length));
    }

    @Test
    void workedExampleFormat2RecordsMatchFormatDoc() {
        byte[] a = "a".getBytes(StandardCharsets.UTF_8);
        byte[] one = "1".getBytes(StandardCharsets.UTF_8);
        // "a" = "1" expiring at 1700000000000 ms (0x0000018bcfe56800): the value field is the expiry, then the value.
        byte[] expiring = RecordDescriptor.encodeSet(a, one, 1_700_000_000_000L);
        assertEquals("23074241" + "03" + "01000000" + "09000000" + "61" + "0068e5cf8b010000" + "31",
                HexFormat.of().formatHex(expiring));
        assertEquals(1_700_000_000_000L, RecordDescriptor.expiresAt(expiring, 0));
        assertEquals(RecordDescriptor.HEADER_LENGTH + 1 + 8, RecordDescriptor.valueOffset(expiring, 0));
        assertEquals(1, RecordDescriptor.valueBytes(expiring, 0));
        // A batch of set "a" = "1" and remove "b": count 2, 29 bytes of records, each a whole record.
        byte[] batch = RecordDescriptor.encodeBatch(java.util.List.of(RecordDescriptor.encodeSet(a, one),
                RecordDescriptor.encodeRemove("b".getBytes(StandardCharsets.UTF_8))));
        assertEquals("7e04310f" + "04" + "02000000" + "1d000000"
                        + "462670480101000000010000006131" + "0d445e04" + "02" + "01000000" + "00000000" + "62",
                HexFormat.of().formatHex(batch));
        assertEquals(batch.length, RecordDescriptor.plausibleLength(batch, 0));
        assertEquals(true, RecordDescriptor.batchIsWellFormed(batch, 0, batch.length));
        byte[] metadata = RecordDescriptor.encodeMetadata("7".getBytes(StandardCharsets.UTF_8));
        assertEquals("bfbcded7" + "05" + "00000000" + "01000000" + "37", HexFormat.of().formatHex(metadata));
    }

    @Test
    void workedExampleHeaderMatchesFormatDoc() {
        byte[] header = SegmentHeader.encode(1, SegmentHeader.KIND_LOG);
        assertEquals("4b56534c" + "0300" + "01" + "01" + "0100000000000000" + "cb1f8fad" + "00000000"
                        + "0000000000000000" + "00000000", HexFormat.of().formatHex(header, 0, 36));
        assertEquals("4b56534c" + "0200" + "01" + "01" + "0100000000000000" + "fbcbfe9c",
                HexFormat.of().formatHex(SegmentHeader.encode(1, SegmentHeader.KIND_LOG, 2), 0, 20));
        SegmentHeader.Parsed parsed = SegmentHeader.parse(header, Path.of("0000000001.log"));
        assertEquals(1, parsed.segmentId());
        assertEquals(0, parsed.sealedEnd());
        byte[] seal = SegmentHeader.encodeSeal(4096);
        assertEquals("0010000000000000" + "2c487310", HexFormat.of().formatHex(seal));
        System.arraycopy(seal, 0, header, SegmentHeader.SEALED_END_OFFSET, seal.length);
        assertEquals(4096, SegmentHeader.parse(header, Path.of("0000000001.log")).sealedEnd());
    }

    @Test
    void checksumSaltMatchesFormatDoc() {
        assertEquals(0x9E3779B1, SegmentHeader.checksumSalt(1, 3));
        assertEquals(0x3C6EF362, SegmentHeader.checksumSalt(2, 3));
        assertEquals(0, SegmentHeader.checksumSalt(1, 2));
        assertEquals(0, SegmentHeader.checksumSalt(1, 1));
        // set("a", "1") at offset 64 of segment 1: checksum 0x48702646 stored as 0x48702646 ^ 0x9e3779b1.
        byte[] record = RecordDescriptor.encodeSet("a".getBytes(StandardCharsets.UTF_8), "1".getBytes(StandardCharsets.UTF_8));
        int stored = RecordDescriptor.storedChecksum(record, 0) ^ SegmentHeader.checksumSalt(1, 3);
        assertEquals(0xD6475FF7, stored);
        byte[] onDisk = record.clone();
        LittleEndian.putInt(onDisk, RecordDescriptor.CHECKSUM_OFFSET, stored);
        assertEquals("f75f47d6" + "01" + "01000000" + "01000000" + "61" + "31", HexFormat.of().formatHex(onDisk));
        assertTrue(RecordDescriptor.checksumMatches(onDisk, 0, onDisk.length, SegmentHeader.checksumSalt(1, 3)));
        assertFalse(RecordDescriptor.checksumMatches(onDisk, 0, onDisk.length, SegmentHeader.checksumSalt(2, 3)));
    }

    @Test
    void manifestLayoutMatchesFormatDoc() {
        assertEquals(0x4D53564B, Manifest.MAGIC);
        assertEquals(1, Manifest.VERSION);
        assertEquals(0, Manifest.MAGIC_OFFSET);
        assertEquals(4, Manifest.VERSION_OFFSET);
        assertEquals(8, Manifest.NEXT_ID_OFFSET);
        assertEquals(16, Manifest.OUTPUT_FIRST_OFFSET);
        assertEquals(24, Manifest.OUTPUT_LAST_OFFSET);
        assertEquals(32, Manifest.LIVE_COUNT_OFFSET);
        assertEquals(36, Manifest.OBSOLETE_COUNT_OFFSET);
        assertEquals(40, Manifest.HEADER_LENGTH);
        assertEquals(8, Manifest.ID_LENGTH);
        assertEquals(4, Manifest.CHECKSUM_LENGTH);
        assertEquals("MANIFEST", SegmentFiles.MANIFEST_FILE_NAME);
    }

    @Test
    void workedExampleManifestMatchesFormatDoc() {
        Manifest manifest = new Manifest(6, 0, 0, new long[]{3, 5}, new long[0]);
        byte[] bytes = manifest.encode();
        String hex = HexFormat.of().formatHex(bytes);
        assertEquals("4b56534d" + "0100" + "0000" + "0600000000000000" + "0000000000000000" + "0000000000000000"
                + "02000000" + "00000000" + "0300000000000000" + "0500000000000000" + "0f12979e", hex);
        assertEquals(manifest, Manifest.parse(bytes, Path.of("MANIFEST")));
    }

    @Test
    void segmentFileNamesSortInIdOrder() {
        assertEquals("0000000001.log", SegmentFiles.fileName(1));
        assertEquals("2147483646.log", SegmentFiles.fileName(Location.MAX_SEGMENT_ID));
        assertEquals(42, SegmentFiles.parseId("0000000042.log"));
        assertEquals(-1, SegmentFiles.parseId("0000000042.log.tmp"));
        assertEquals(-1, SegmentFiles.parseId("000000042.log"));
        assertEquals(-1, SegmentFiles.parseId("000000004x.log"));
        assertEquals(-1, SegmentFiles.parseId("0000000000.log"));
        assertThrows(IllegalArgumentException.class, () -> SegmentFiles.fileName(0));
    }

    @Test
    void locationPacksSegmentAndOffset() {
        long location = Location.of(Location.MAX_SEGMENT_ID, 0xFFFF_FFF0L);
        assertEquals(Location.MAX_SEGMENT_ID, Location.segmentId(location));
        assertEquals(0xFFFF_FFF0L, Location.offset(location));
        assertEquals(true, location >= 0 && location != Location.NONE);
    }

    @Test
    void setRecordEncodedIntoABufferIsTheSameRecord() {
        byte[] key = "greeting".getBytes(StandardCharsets.UTF_8);
        byte[] value = new byte[]{0, (byte) 0xFF, 7};
        byte[] buffer = new byte[64];
        for (long expiresAt : new long[]{io.kvs.core.Entry.NO_EXPIRY, 1_700_000_000_000L}) {
            byte[] record = RecordDescriptor.encodeSet(key, value, expiresAt);
            java.util.Arrays.fill(buffer, (byte) 0x5A);
            int length = RecordDescriptor.encodeSetInto(key, value, expiresAt, buffer);
            assertEquals(record.length, length);
            assertEquals(HexFormat.of().formatHex(record), HexFormat.of().formatHex(buffer, 0, length));
            assertEquals(-1, RecordDescriptor.encodeSetInto(key, value, expiresAt, new byte[record.length - 1]),
                    "a buffer one byte short is refused");
        }
    }
}
