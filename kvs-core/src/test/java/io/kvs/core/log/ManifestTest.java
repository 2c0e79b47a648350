package io.kvs.core.log;

import io.kvs.core.CorruptLogException;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.zip.CRC32C;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bounds of {@link Manifest#parse} and the questions recovery asks a manifest. */
class ManifestTest {

    private static final Path FILE = Path.of("MANIFEST");

    private static Manifest roundTrip(Manifest manifest) {
        return Manifest.parse(manifest.encode(), FILE);
    }

    /** Recomputes the trailing checksum after a field was changed, so only that field is wrong. */
    private static byte[] withChecksum(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length - Manifest.CHECKSUM_LENGTH);
        LittleEndian.putInt(bytes, bytes.length - Manifest.CHECKSUM_LENGTH, (int) crc.getValue());
        return bytes;
    }

    private static CorruptLogException refused(byte[] bytes) {
        return assertThrows(CorruptLogException.class, () -> Manifest.parse(bytes, FILE));
    }

    @Test
    void compactionInProgressRoundTripsWithItsObsoleteSegments() {
        Manifest manifest = new Manifest(20, 12, 14, new long[]{3, 5, 11}, new long[]{1, 2});
        byte[] bytes = manifest.encode();
        assertEquals(Manifest.HEADER_LENGTH + 5 * Manifest.ID_LENGTH + Manifest.CHECKSUM_LENGTH, bytes.length);
        assertEquals(2, LittleEndian.getInt(bytes, Manifest.OBSOLETE_COUNT_OFFSET));
        Manifest parsed = Manifest.parse(bytes, FILE);
        assertEquals(manifest, parsed);
        assertEquals(20, parsed.nextId());
        assertEquals(12, parsed.outputFirst());
        assertEquals(14, parsed.outputLast());
        assertArrayEquals(new long[]{3, 5, 11}, parsed.live());
        assertArrayEquals(new long[]{1, 2}, parsed.obsolete());
    }

    @Test
    void manifestOfANewStoreWithNoSegmentsParses() {
        Manifest empty = Manifest.of(1, new long[0]);
        byte[] bytes = empty.encode();
        assertEquals(Manifest.HEADER_LENGTH + Manifest.CHECKSUM_LENGTH, bytes.length);
        Manifest parsed = Manifest.parse(bytes, FILE);
        assertEquals(empty, parsed);
        assertEquals(1, parsed.nextId());
        assertEquals(0, parsed.live().length);
        assertEquals(0, parsed.obsolete().length);
        assertFalse(parsed.isCompactionOutput(0));
    }

    @Test
    void largestSegmentIdIsAccepted() {
        Manifest largest = Manifest.of(Location.MAX_SEGMENT_ID + 1, new long[]{1, Location.MAX_SEGMENT_ID});
        assertEquals(largest, roundTrip(largest));
        CorruptLogException e = refused(Manifest.of(Location.MAX_SEGMENT_ID + 2, new long[]{1}).encode());
        assertTrue(e.getMessage().contains("out of range"), e.getMessage());
        assertEquals(Manifest.NEXT_ID_OFFSET, e.offset());
    }

    @Test
    void idsOutOfRangeAreRefused() {
        for (Manifest bad : new Manifest[]{
                Manifest.of(0, new long[0]),
                Manifest.of(-1, new long[0]),
                new Manifest(10, -1, 0, new long[]{1}, new long[0]),
                new Manifest(10, 5, 4, new long[]{1}, new long[0])}) {
            CorruptLogException e = refused(bad.encode());
            assertEquals(Manifest.NEXT_ID_OFFSET, e.offset(), bad.toString());
        }
        assertEquals(5, roundTrip(new Manifest(10, 5, 5, new long[]{1}, new long[0])).outputLast(),
                "a compaction may reserve a single output id");
    }

    @Test
    void repeatedOrUnorderedOrUnallocatedIdsAreRefusedAtTheirOffset() {
        long second = Manifest.HEADER_LENGTH + Manifest.ID_LENGTH;
        assertEquals(second, refused(Manifest.of(10, new long[]{3, 3}).encode()).offset(), "repeated");
        assertEquals(second, refused(Manifest.of(10, new long[]{3, 2}).encode()).offset(), "descending");
        assertEquals(second, refused(Manifest.of(10, new long[]{3, 10}).encode()).offset(), "not below nextId");
        assertEquals((long) Manifest.HEADER_LENGTH, refused(Manifest.of(10, new long[]{0}).encode()).offset(), "zero");
        long secondObsolete = Manifest.HEADER_LENGTH + 3 * Manifest.ID_LENGTH;
        CorruptLogException e = refused(new Manifest(10, 0, 0, new long[]{4, 6}, new long[]{1, 1}).encode());
        assertEquals(secondObsolete, e.offset(), "repeated obsolete id");
        assertTrue(e.getMessage().contains("segment id 1 out of order"), e.getMessage());
        assertEquals(Manifest.of(10, new long[]{1, 9}), roundTrip(Manifest.of(10, new long[]{1, 9})));
    }

    @Test
    void listsOfExactlyTheMostIdsAreAccepted() {
        long[] most = java.util.stream.LongStream.rangeClosed(1, Manifest.MAX_IDS).toArray();
        Manifest live = Manifest.parse(Manifest.of(Manifest.MAX_IDS + 1, most).encode(), FILE);
        assertEquals(Manifest.MAX_IDS, live.live().length);
        Manifest obsolete = Manifest.parse(new Manifest(Manifest.MAX_IDS + 2, 0, 0, new long[]{Manifest.MAX_IDS + 1}, most).encode(), FILE);
        assertEquals(Manifest.MAX_IDS, obsolete.obsolete().length);
    }

    @Test
    void truncatedOrMiscountedManifestIsRefused() {
        byte[] bytes = Manifest.of(6, new long[]{3, 5}).encode();
        byte[] truncated = java.util.Arrays.copyOf(bytes, Manifest.HEADER_LENGTH + Manifest.CHECKSUM_LENGTH - 1);
        CorruptLogException e = refused(truncated);
        assertTrue(e.getMessage().contains("truncated (43 bytes)"), e.getMessage());

        byte[] miscounted = bytes.clone();
        LittleEndian.putInt(miscounted, Manifest.LIVE_COUNT_OFFSET, 3);
        e = refused(withChecksum(miscounted));
        assertEquals(Manifest.LIVE_COUNT_OFFSET, e.offset());

        byte[] hugeCount = bytes.clone();
        LittleEndian.putInt(hugeCount, Manifest.OBSOLETE_COUNT_OFFSET, -1);
        e = refused(withChecksum(hugeCount));
        assertEquals(Manifest.LIVE_COUNT_OFFSET, e.offset(), "an unsigned count of 2^32 - 1");

        byte[] shortByOneId = java.util.Arrays.copyOf(bytes, bytes.length - Manifest.ID_LENGTH);
        e = refused(withChecksum(shortByOneId));
        assertEquals(Manifest.LIVE_COUNT_OFFSET, e.offset());
    }

    @Test
    void badMagicChecksumOrVersionIsRefused() {
        byte[] bytes = Manifest.of(6, new long[]{3, 5}).encode();
        byte[] magic = bytes.clone();
        magic[Manifest.MAGIC_OFFSET] ^= 0x01;
        assertTrue(refused(withChecksum(magic)).getMessage().contains("bad magic"));

        byte[] checksum = bytes.clone();
        checksum[Manifest.NEXT_ID_OFFSET] ^= 0x01;
        CorruptLogException e = refused(checksum);
        assertEquals(bytes.length - Manifest.CHECKSUM_LENGTH, e.offset());

        byte[] version = bytes.clone();
        LittleEndian.putShort(version, Manifest.VERSION_OFFSET, Manifest.VERSION + 1);
        e = refused(withChecksum(version));
        assertEquals(Manifest.VERSION_OFFSET, e.offset());
        assertTrue(e.getMessage().contains("version 2"), e.getMessage());
    }

    @Test
    void compactionOutputRangeIncludesBothEnds() {
        Manifest manifest = new Manifest(20, 12, 14, new long[]{3, 5, 11}, new long[0]);
        assertFalse(manifest.isCompactionOutput(11));
        assertTrue(manifest.isCompactionOutput(12));
        assertTrue(manifest.isCompactionOutput(13));
        assertTrue(manifest.isCompactionOutput(14));
        assertFalse(manifest.isCompactionOutput(15));
        Manifest idle = Manifest.of(20, new long[]{3});
        assertFalse(idle.isCompactionOutput(0));
        assertFalse(idle.isCompactionOutput(1));
    }

    @Test
    void everyListedIdIsFoundIncludingTheFirst() {
        Manifest manifest = new Manifest(20, 0, 0, new long[]{3, 5, 11}, new long[]{1, 2});
        for (long id : manifest.live()) {
            assertTrue(manifest.isLive(id), "live " + id);
            assertFalse(manifest.isObsolete(id), "live " + id);
        }
        for (long id : manifest.obsolete()) {
            assertTrue(manifest.isObsolete(id), "obsolete " + id);
            assertFalse(manifest.isLive(id), "obsolete " + id);
        }
        assertFalse(manifest.isLive(4));
        assertFalse(manifest.isObsolete(4));
        assertFalse(manifest.isObsolete(0));
    }

    @Test
    void equalManifestsHaveEqualHashCodesAndDescribeTheirLists() {
        Manifest a = new Manifest(6, 0, 0, new long[]{3, 5}, new long[0]);
        Manifest b = Manifest.of(6, new long[]{3, 5});
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a, Manifest.of(6, new long[]{3}));
        assertNotEquals(a.hashCode(), Manifest.of(6, new long[]{3}).hashCode());
        assertNotEquals(a, new Manifest(6, 0, 0, new long[]{3, 5}, new long[]{1}));
        assertNotEquals(a, new Manifest(7, 0, 0, new long[]{3, 5}, new long[0]));
        assertNotEquals(a, new Manifest(6, 4, 4, new long[]{3, 5}, new long[0]));

        assertEquals("Manifest{nextId=6, live=[3, 5]}", a.toString());
        assertEquals("Manifest{nextId=20, live=[3], compaction output 12..14, obsolete=[1, 2]}",
                new Manifest(20, 12, 14, new long[]{3}, new long[]{1, 2}).toString());
    }
}
