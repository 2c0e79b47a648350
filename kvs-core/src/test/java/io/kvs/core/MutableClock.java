package io.kvs.core;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/** A clock that tests move by hand, so that expiry is tested without sleeping. Thread-safe. */
public final class MutableClock extends Clock {

    /** Where every test clock starts: 2026-01-01T00:00:00Z. */
    public static final long START_MILLIS = 1_767_225_600_000L;

    private final AtomicLong millis;

    public MutableClock() {
        this(START_MILLIS);
    }

    public MutableClock(long millis) {
        this.millis = new AtomicLong(millis);
    }

    /** Moves the clock forward by {@code delta} milliseconds; returns the new time. */
    public long advance(long delta) {
        return millis.addAndGet(delta);
    }

    @Override
    public long millis() {
        return millis.get();
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis.get());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("a test clock has one zone");
    }
}
