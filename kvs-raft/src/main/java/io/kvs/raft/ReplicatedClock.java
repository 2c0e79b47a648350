package io.kvs.raft;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The clock of a replica's engine: the time the leader stamped on the last log entry applied
 * (never going back), not the machine's. Every replica applies the same entries with the same
 * times, so expiry ({@code EX 10}, a key that expired, the background sweep) decides the same
 * on all of them. Between entries the clock stands still; the leader proposes a tick when keys
 * with an expiry would otherwise outlive their time ({@link RaftNode}).
 */
final class ReplicatedClock extends Clock {

    private volatile long millis;

    ReplicatedClock(long startMillis) {
        this.millis = startMillis;
    }

    /** Moves the clock to {@code timeMillis} if that is later; returns the time it shows. Applier thread only. */
    long advanceTo(long timeMillis) {
        long now = millis;
        if (timeMillis > now) {
            millis = timeMillis;
            return timeMillis;
        }
        return now;
    }

    @Override
    public long millis() {
        return millis;
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("the replicated clock is in UTC only");
    }
}
