package io.kvs.core.log;

import java.util.Arrays;

/**
 * A key's bytes as a map key: equal when the bytes are. Used where a key must be held whole (the
 * index's overflow map, a transaction's pending writes), which binary keys forbid doing with a
 * {@code String}: two byte sequences that are not UTF-8 can decode to the same string.
 */
final class KeyBytes {

    private final byte[] bytes;
    private final int hash;

    private KeyBytes(byte[] bytes) {
        this.bytes = bytes;
        this.hash = Arrays.hashCode(bytes);
    }

    /** Wraps {@code bytes} itself; the caller must not change them afterwards. */
    static KeyBytes of(byte[] bytes) {
        return new KeyBytes(bytes);
    }

    /** Copies {@code key[offset, offset + length)}. */
    static KeyBytes copyOf(byte[] key, int offset, int length) {
        return new KeyBytes(Arrays.copyOfRange(key, offset, offset + length));
    }

    byte[] bytes() {
        return bytes;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyBytes other && hash == other.hash && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return "KeyBytes{" + bytes.length + " bytes}";
    }
}
