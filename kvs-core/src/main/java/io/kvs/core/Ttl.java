package io.kvs.core;

/**
 * The remaining time to live of a key, as {@link KvsEngine#ttl} reads it: the key is absent, or
 * present without an expiry, or present and expiring in {@link #remainingMillis()} (at least 1).
 * Redis's {@code PTTL} answers -2, -1 and the remaining milliseconds for the three cases.
 */
public final class Ttl {

    private static final Ttl NO_KEY = new Ttl(-2, 0);
    private static final Ttl NO_EXPIRY = new Ttl(-1, 0);

    /** -2: no key, -1: no expiry, otherwise the remaining milliseconds. */
    private final long remaining;
    private final long expiresAtMillis;

    private Ttl(long remaining, long expiresAtMillis) {
        this.remaining = remaining;
        this.expiresAtMillis = expiresAtMillis;
    }

    /** The key does not exist (or has expired). */
    public static Ttl noKey() {
        return NO_KEY;
    }

    /** The key exists and never expires. */
    public static Ttl noExpiry() {
        return NO_EXPIRY;
    }

    /** The key expires at {@code expiresAtMillis}, {@code remainingMillis} (at least 1) from now. */
    public static Ttl expiresAt(long expiresAtMillis, long remainingMillis) {
        if (remainingMillis < 1 || expiresAtMillis <= 0) {
            throw new IllegalArgumentException("an expiring key has time left: " + remainingMillis + " ms");
        }
        return new Ttl(remainingMillis, expiresAtMillis);
    }

    /** True if the key exists. */
    public boolean keyExists() {
        return remaining != -2;
    }

    /** True if the key exists and has an expiry. */
    public boolean hasExpiry() {
        return remaining > 0;
    }

    /**
     * The milliseconds left before the key expires (at least 1).
     *
     * @throws IllegalStateException if the key does not exist or has no expiry
     */
    public long remainingMillis() {
        if (!hasExpiry()) {
            throw new IllegalStateException("no expiry: " + this);
        }
        return remaining;
    }

    /**
     * When the key expires, in milliseconds since the epoch.
     *
     * @throws IllegalStateException if the key does not exist or has no expiry
     */
    public long expiresAtMillis() {
        if (!hasExpiry()) {
            throw new IllegalStateException("no expiry: " + this);
        }
        return expiresAtMillis;
    }

    /** Redis's {@code PTTL} reply: -2 for no key, -1 for no expiry, else the remaining milliseconds. */
    public long redisMillis() {
        return remaining;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Ttl other && remaining == other.remaining && expiresAtMillis == other.expiresAtMillis;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(remaining) * 31 + Long.hashCode(expiresAtMillis);
    }

    @Override
    public String toString() {
        return !keyExists() ? "Ttl{no key}" : !hasExpiry() ? "Ttl{no expiry}" : "Ttl{" + remaining + " ms}";
    }
}
