package io.kvs.core.log;

/**
 * Packs the location of a record, (segment id, byte offset), into one {@code long} for the index:
 * the id in the high 32 bits, the offset in the low 32. Ids stay below 2^31, so a location is
 * never negative and never equals {@link #NONE}.
 */
final class Location {

    /** "No location": the index's missing value. */
    static final long NONE = -1L;
    /** The largest segment id a location can carry. */
    static final long MAX_SEGMENT_ID = Integer.MAX_VALUE - 1L;

    private Location() {
    }

    static long of(long segmentId, long offset) {
        return (segmentId << 32) | (offset & 0xFFFF_FFFFL);
    }

    static long segmentId(long location) {
        return location >>> 32;
    }

    static long offset(long location) {
        return location & 0xFFFF_FFFFL;
    }

    static String toString(long location) {
        return location == NONE ? "none" : "segment=" + segmentId(location) + " offset=" + offset(location);
    }
}
