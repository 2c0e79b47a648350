package io.kvs.core;

import java.time.Clock;
import java.util.Objects;

/**
 * Tuning for {@code KvStore} (the clock and sync policy also for the Xodus engine): an immutable value, built from {@link #defaults()} with the
 * {@code with...} methods. Each option has a system property of the same name, read by
 * {@link #fromSystemProperties()}.
 */
public final class KvStoreOptions {

    /** Property naming the segment size in bytes. */
    public static final String SEGMENT_BYTES_PROP_NAME = "kvs.segment.bytes";
    /** Default segment size: 64 MiB. */
    public static final long SEGMENT_BYTES_DEFAULT = 64L * 1024 * 1024;
    /** Smallest segment size accepted: 4 KiB. */
    public static final long SEGMENT_BYTES_MIN = 4 * 1024;
    /** Largest segment size accepted: 1 GiB. */
    public static final long SEGMENT_BYTES_MAX = 1024L * 1024 * 1024;

    /** Property naming the compaction threshold in stale bytes. */
    public static final String COMPACTION_THRESHOLD_BYTES_PROP_NAME = "kvs.compaction.threshold.bytes";
    /** Default compaction threshold: 8 MiB of stale (overwritten or removed) record bytes. */
    public static final long COMPACTION_THRESHOLD_BYTES_DEFAULT = 8L * 1024 * 1024;

    /** Property naming the minimum stale share of the log before compaction runs. */
    public static final String COMPACTION_MIN_STALE_RATIO_PROP_NAME = "kvs.compaction.min.stale.ratio";
    /** Default minimum stale share: half of the log's record bytes, which bounds write amplification. */
    public static final double COMPACTION_MIN_STALE_RATIO_DEFAULT = 0.5;

    /** Property naming the sync policy. */
    public static final String SYNC_POLICY_PROP_NAME = "kvs.sync";
    /** Default sync policy. */
    public static final SyncPolicy SYNC_POLICY_DEFAULT = SyncPolicy.EVERY_SECOND;

    private static final KvStoreOptions DEFAULTS = new KvStoreOptions(SEGMENT_BYTES_DEFAULT,
            COMPACTION_THRESHOLD_BYTES_DEFAULT, COMPACTION_MIN_STALE_RATIO_DEFAULT, SYNC_POLICY_DEFAULT, Clock.systemUTC());

    private final long segmentBytes;
    private final long compactionThresholdBytes;
    private final double compactionMinStaleRatio;
    private final SyncPolicy syncPolicy;
    private final Clock clock;

    private KvStoreOptions(long segmentBytes, long compactionThresholdBytes,
                           double compactionMinStaleRatio, SyncPolicy syncPolicy, Clock clock) {
        this.segmentBytes = segmentBytes;
        this.compactionThresholdBytes = compactionThresholdBytes;
        this.compactionMinStaleRatio = compactionMinStaleRatio;
        this.syncPolicy = syncPolicy;
        this.clock = clock;
    }

    /** The defaults: 64 MiB segments, compaction at 8 MiB and half the log stale, {@code EVERY_SECOND}. */
    public static KvStoreOptions defaults() {
        return DEFAULTS;
    }

    /**
     * The defaults overridden by any of the {@code kvs.*} system properties that are set.
     *
     * @throws IllegalArgumentException if a property does not parse or is out of range
     */
    public static KvStoreOptions fromSystemProperties() {
        KvStoreOptions options = DEFAULTS;
        String segment = System.getProperty(SEGMENT_BYTES_PROP_NAME);
        if (segment != null) {
            options = options.withSegmentBytes(parseLong(SEGMENT_BYTES_PROP_NAME, segment));
        }
        String threshold = System.getProperty(COMPACTION_THRESHOLD_BYTES_PROP_NAME);
        if (threshold != null) {
            options = options.withCompactionThresholdBytes(
                    parseLong(COMPACTION_THRESHOLD_BYTES_PROP_NAME, threshold));
        }
        String ratio = System.getProperty(COMPACTION_MIN_STALE_RATIO_PROP_NAME);
        if (ratio != null) {
            try {
                options = options.withCompactionMinStaleRatio(Double.parseDouble(ratio.trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(COMPACTION_MIN_STALE_RATIO_PROP_NAME
                        + " must be a number between 0 and 1, got '" + ratio + "'", e);
            }
        }
        String sync = System.getProperty(SYNC_POLICY_PROP_NAME);
        if (sync != null) {
            options = options.withSyncPolicy(parseSyncPolicy(sync));
        }
        return options;
    }

    /**
     * Parses a sync policy name as {@link SyncPolicy#parse} does.
     *
     * @throws IllegalArgumentException naming the valid policies if {@code name} is none of them
     */
    public static SyncPolicy parseSyncPolicy(String name) {
        return SyncPolicy.parse(name);
    }

    /** Target size of a log segment file in bytes; a record larger than this gets a segment of its own. */
    public long segmentBytes() {
        return segmentBytes;
    }

    /** Stale bytes that must accumulate before a compaction starts. */
    public long compactionThresholdBytes() {
        return compactionThresholdBytes;
    }

    /** Share of the log's record bytes that must be stale before a compaction starts, 0 to 1. */
    public double compactionMinStaleRatio() {
        return compactionMinStaleRatio;
    }

    /** When written data is forced to disk. */
    public SyncPolicy syncPolicy() {
        return syncPolicy;
    }

    /**
     * Returns a copy with the given segment size.
     *
     * @throws IllegalArgumentException unless {@link #SEGMENT_BYTES_MIN} &lt;= bytes &lt;= {@link #SEGMENT_BYTES_MAX}
     */
    public KvStoreOptions withSegmentBytes(long bytes) {
        if (bytes < SEGMENT_BYTES_MIN || bytes > SEGMENT_BYTES_MAX) {
            throw new IllegalArgumentException("segment size must be between " + SEGMENT_BYTES_MIN
                    + " and " + SEGMENT_BYTES_MAX + " bytes, got " + bytes);
        }
        return new KvStoreOptions(bytes, compactionThresholdBytes, compactionMinStaleRatio, syncPolicy, clock);
    }

    /**
     * Returns a copy with the given compaction threshold; 0 compacts as soon as anything is stale.
     *
     * @throws IllegalArgumentException if {@code bytes} is negative
     */
    public KvStoreOptions withCompactionThresholdBytes(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("compaction threshold must not be negative, got " + bytes);
        }
        return new KvStoreOptions(segmentBytes, bytes, compactionMinStaleRatio, syncPolicy, clock);
    }

    /**
     * Returns a copy with the given minimum stale share; 0 disables the ratio condition.
     *
     * @throws IllegalArgumentException unless 0 &lt;= ratio &lt;= 1
     */
    public KvStoreOptions withCompactionMinStaleRatio(double ratio) {
        if (!(ratio >= 0 && ratio <= 1)) {
            throw new IllegalArgumentException("compaction stale ratio must be between 0 and 1, got " + ratio);
        }
        return new KvStoreOptions(segmentBytes, compactionThresholdBytes, ratio, syncPolicy, clock);
    }

    /** Returns a copy with the given sync policy. */
    public KvStoreOptions withSyncPolicy(SyncPolicy policy) {
        return new KvStoreOptions(segmentBytes, compactionThresholdBytes, compactionMinStaleRatio,
                Objects.requireNonNull(policy, "policy must not be null"), clock);
    }

    /** The clock that expiry times are measured by; the system clock (UTC) unless a test substitutes one. */
    public Clock clock() {
        return clock;
    }

    /** Returns a copy with the given clock: tests advance a fake one instead of sleeping. */
    public KvStoreOptions withClock(Clock clock) {
        return new KvStoreOptions(segmentBytes, compactionThresholdBytes, compactionMinStaleRatio, syncPolicy,
                Objects.requireNonNull(clock, "clock must not be null"));
    }

    private static long parseLong(String property, String text) {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(property + " must be a whole number of bytes, got '"
                    + text + "'", e);
        }
    }

    @Override
    public String toString() {
        return "KvStoreOptions{segmentBytes=" + segmentBytes
                + ", compactionThresholdBytes=" + compactionThresholdBytes
                + ", compactionMinStaleRatio=" + compactionMinStaleRatio
                + ", syncPolicy=" + syncPolicy + '}';
    }
}
