package io.kvs.core;

import java.util.Arrays;
import java.util.Objects;

/**
 * A stored value and its expiry: what {@link KvsEngine#getEntry} returns and what a
 * {@link Transaction} or {@link KvsEngine#update} writes. Expiry is an absolute time in
 * milliseconds since the epoch, as the engine's clock counts it ({@link KvStoreOptions#clock()});
 * {@link #NO_EXPIRY} means the key never expires. A key whose expiry time has come is gone for
 * every read at once.
 *
 * <p>Immutable, except that {@link #value()} returns the array itself (no copy): a caller must
 * not change it. Two entries are equal when their values have the same bytes and their expiry
 * is the same.
 */
public final class Entry {

    /** The expiry of a key that never expires. */
    public static final long NO_EXPIRY = 0;

    private final byte[] value;
    private final long expiresAtMillis;

    private Entry(byte[] value, long expiresAtMillis) {
        this.value = value;
        this.expiresAtMillis = expiresAtMillis;
    }

    /**
     * An entry that never expires.
     *
     * @throws LimitExceededException if the value is longer than {@link KvsLimits#MAX_VALUE_BYTES}
     */
    public static Entry of(byte[] value) {
        return new Entry(KvsLimits.checkValue(value), NO_EXPIRY);
    }

    /**
     * An entry that expires at {@code expiresAtMillis} (milliseconds since the epoch; a time that
     * has passed makes the write remove the key), or never if it is {@link #NO_EXPIRY}.
     *
     * @throws IllegalArgumentException if {@code expiresAtMillis} is negative
     * @throws LimitExceededException if the value is longer than {@link KvsLimits#MAX_VALUE_BYTES}
     */
    public static Entry of(byte[] value, long expiresAtMillis) {
        return new Entry(KvsLimits.checkValue(value), checkExpiry(expiresAtMillis));
    }

    /** The value (the array itself, not a copy). */
    public byte[] value() {
        return value;
    }

    /** When the key expires, in milliseconds since the epoch, or {@link #NO_EXPIRY}. */
    public long expiresAtMillis() {
        return expiresAtMillis;
    }

    /** True if the key expires at some time. */
    public boolean hasExpiry() {
        return expiresAtMillis != NO_EXPIRY;
    }

    /** True if this entry has an expiry and it is at or before {@code nowMillis}. */
    public boolean isExpiredAt(long nowMillis) {
        return expiresAtMillis != NO_EXPIRY && expiresAtMillis <= nowMillis;
    }

    /** The same value with another expiry ({@link #NO_EXPIRY}: never). */
    public Entry withExpiry(long expiresAtMillis) {
        return new Entry(value, checkExpiry(expiresAtMillis));
    }

    /** Another value with the same expiry (Redis's {@code KEEPTTL}). */
    public Entry withValue(byte[] value) {
        return new Entry(KvsLimits.checkValue(value), expiresAtMillis);
    }

    static long checkExpiry(long expiresAtMillis) {
        if (expiresAtMillis < 0) {
            throw new IllegalArgumentException("expiry must be a time in milliseconds since the epoch, or 0 for none: "
                    + expiresAtMillis);
        }
        return expiresAtMillis;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Entry other && expiresAtMillis == other.expiresAtMillis && Arrays.equals(value, other.value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(value), expiresAtMillis);
    }

    @Override
    public String toString() {
        return "Entry{" + value.length + " bytes" + (hasExpiry() ? ", expires at " + expiresAtMillis : "") + '}';
    }
}
