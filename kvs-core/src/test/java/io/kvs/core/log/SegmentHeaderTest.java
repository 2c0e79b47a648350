package io.kvs.core.log;

import io.kvs.core.CorruptLogException;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.zip.CRC32C;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bounds of {@link SegmentHeader#parse}: each bad field, and where a seal counts. */
class SegmentHeaderTest {

    private static final Path FILE = Path.of("0000000007.log");

    private static byte[] header() {
        return SegmentHeader.encode(7, SegmentHeader.KIND_LOG);
    }

    private static byte[] sealedAt(long sealedEnd) {
        byte[] header = header();
        byte[] seal = SegmentHeader.encodeSeal(sealedEnd);
        System.arraycopy(seal, 0, header, SegmentHeader.SEALED_END_OFFSET, seal.length);
        return header;
    }

    /** Recomputes the header checksum after a field was changed, so only that field is wrong. */
    private static byte[] withChecksum(byte[] header) {
        CRC32C crc = new CRC32C();
        crc.update(header, 0, SegmentHeader.HEADER_CHECKSUM_COVERAGE);
        LittleEndian.putInt(header, SegmentHeader.HEADER_CHECKSUM_OFFSET, (int) crc.getValue());
        return header;
    }

    private static CorruptLogException refused(byte[] header) {
        return assertThrows(CorruptLogException.class, () -> SegmentHeader.parse(header, FILE));
    }

    @Test
    void newHeaderParsesAsUnsealedWithItsIdKindAndManifestFlag() {
        SegmentHeader.Parsed parsed = SegmentHeader.parse(SegmentHeader.encode(7, SegmentHeader.KIND_COMPACTION), FILE);
        assertEquals(7, parsed.segmentId());
        assertEquals(SegmentHeader.KIND_COMPACTION, parsed.kind());
        assertEquals(SegmentHeader.FLAG_MANIFEST, parsed.flags());
        assertTrue(parsed.manifestKept());
        assertFalse(parsed.sealed());
        assertEquals(0, parsed.sealedEnd());
    }

    @Test
    void sealAtTheFirstRecordOffsetSealsAnEmptySegment() {
        SegmentHeader.Parsed parsed = SegmentHeader.parse(sealedAt(SegmentHeader.LENGTH), FILE);
        assertTrue(parsed.sealed());
        assertEquals(SegmentHeader.LENGTH, parsed.sealedEnd());
        assertEquals(4096, SegmentHeader.parse(sealedAt(4096), FILE).sealedEnd());
    }

    @Test
    void sealInsideTheHeaderReadsAsUnsealed() {
        SegmentHeader.Parsed parsed = SegmentHeader.parse(sealedAt(SegmentHeader.LENGTH - 1), FILE);
        assertFalse(parsed.sealed());
        assertEquals(0, parsed.sealedEnd());
        assertFalse(SegmentHeader.parse(sealedAt(-4096), FILE).sealed());
    }

    @Test
    void tornSealReadsAsUnsealed() {
        byte[] badChecksum = sealedAt(4096);
        badChecksum[SegmentHeader.SEAL_CHECKSUM_OFFSET] ^= 0x01;
        assertFalse(SegmentHeader.parse(badChecksum, FILE).sealed());
        byte[] badEnd = sealedAt(4096);
        badEnd[SegmentHeader.SEALED_END_OFFSET + 1] ^= 0x01;
        assertEquals(0, SegmentHeader.parse(badEnd, FILE).sealedEnd());
    }

    @Test
    void eachBadFieldIsReportedAtItsOffset() {
        byte[] magic = header();
        magic[SegmentHeader.MAGIC_OFFSET] ^= 0x01;
        CorruptLogException e = refused(withChecksum(magic));
        assertTrue(e.getMessage().contains("bad magic"), e.getMessage());
        assertEquals(SegmentHeader.MAGIC_OFFSET, e.offset());
        assertEquals(FILE, e.file());

        byte[] checksum = header();
        checksum[SegmentHeader.SEGMENT_ID_OFFSET] ^= 0x01;
        e = refused(checksum);
        assertTrue(e.getMessage().contains("checksum mismatch"), e.getMessage());
        assertEquals(0, e.offset());

        byte[] version = header();
        LittleEndian.putShort(version, SegmentHeader.VERSION_OFFSET, SegmentHeader.VERSION + 1);
        e = refused(withChecksum(version));
        assertTrue(e.getMessage().contains("version " + (SegmentHeader.VERSION + 1)), e.getMessage());
        assertEquals(SegmentHeader.VERSION_OFFSET, e.offset());

        for (byte kind : new byte[]{0, 3, -1}) {
            byte[] badKind = header();
            badKind[SegmentHeader.KIND_OFFSET] = kind;
            e = refused(withChecksum(badKind));
            assertTrue(e.getMessage().contains("unknown segment kind " + kind), e.getMessage());
            assertEquals(SegmentHeader.KIND_OFFSET, e.offset());
        }

        byte[] flags = header();
        flags[SegmentHeader.FLAGS_OFFSET] = SegmentHeader.FLAG_MANIFEST | 2;
        e = refused(withChecksum(flags));
        assertTrue(e.getMessage().contains("unknown segment flags 3"), e.getMessage());
        assertEquals(SegmentHeader.FLAGS_OFFSET, e.offset());
    }

    @Test
    void headerOfAnOlderBuildHasNoFlags() {
        byte[] old = header();
        old[SegmentHeader.FLAGS_OFFSET] = 0;
        SegmentHeader.Parsed parsed = SegmentHeader.parse(withChecksum(old), FILE);
        assertFalse(parsed.manifestKept());
        assertEquals(7, parsed.segmentId());
    }

    @Test
    void onlyAnAllZeroHeaderIsBlank() {
        assertTrue(SegmentHeader.isBlank(new byte[SegmentHeader.LENGTH]));
        assertFalse(SegmentHeader.isBlank(header()));
        byte[] lastByte = new byte[SegmentHeader.LENGTH];
        lastByte[SegmentHeader.LENGTH - 1] = 1;
        assertFalse(SegmentHeader.isBlank(lastByte));
        byte[] allOnes = new byte[SegmentHeader.LENGTH];
        java.util.Arrays.fill(allOnes, (byte) 0xFF);
        assertFalse(SegmentHeader.isBlank(allOnes));
    }
}
