package io.kvs.core.log;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Byte counts that decide when to compact: live bytes (records the index points to) and stale
 * bytes (overwritten or removed records, and tombstones). Live bytes change only under the
 * writer lock (or in recovery), stale bytes also from the compactor; both are readable at any time.
 */
final class LogStats {

    private final AtomicLong liveBytes = new AtomicLong();
    private final AtomicLong staleBytes = new AtomicLong();

    long staleBytes() {
        return staleBytes.get();
    }

    long liveBytes() {
        return liveBytes.get();
    }

    /** A record of {@code length} bytes became live. Writer lock held (or recovery): the one writer of live bytes. */
    void addLive(long length) {
        liveBytes.lazySet(liveBytes.get() + length);
    }

    /** A live record of {@code length} bytes in {@code segment} was overwritten or removed. Writer lock held (or recovery). */
    void liveBecameStale(Segment segment, long length) {
        liveBytes.lazySet(liveBytes.get() - length);
        staleBytes.addAndGet(length);
        segment.addStaleBytes(length);
    }

    /** A record of {@code length} bytes in {@code segment} was stale from the start (a tombstone, a superseded copy). */
    void addStale(Segment segment, long length) {
        staleBytes.addAndGet(length);
        segment.addStaleBytes(length);
    }

    /** A compacted segment was deleted, and its stale bytes with it. */
    void segmentDeleted(Segment segment) {
        staleBytes.addAndGet(-segment.staleBytes());
    }

    /** True if stale bytes pass both the absolute threshold and the minimum share of the log. */
    boolean shouldCompact(long thresholdBytes, double minStaleRatio) {
        long stale = staleBytes.get();
        long total = stale + liveBytes.get();
        return stale > 0 && stale >= thresholdBytes && stale >= minStaleRatio * total;
    }

    @Override
    public String toString() {
        return "live=" + liveBytes.get() + " stale=" + staleBytes.get();
    }
}
