package io.kvs.core;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The size limits every engine enforces, and the one place keys and values become UTF-8.
 *
 * <p>Limits are in bytes of UTF-8, not in chars: {@code "ж"} is one char and two bytes. A key
 * or value over its limit is refused with {@link LimitExceededException}; a string with an
 * unpaired surrogate (which has no UTF-8 form) with {@link InvalidStringException}.
 */
public final class KvsLimits {

    /** The largest key, in UTF-8 bytes: 64 KiB. */
    public static final int MAX_KEY_BYTES = 64 * 1024;

    /** The largest value, in UTF-8 bytes: 16 MiB. */
    public static final int MAX_VALUE_BYTES = 16 * 1024 * 1024;

    /** The largest metadata entry a transaction may record ({@link Transaction#setMetadata}): 64 KiB. */
    public static final int MAX_METADATA_BYTES = 64 * 1024;

    /**
     * The most a transaction or batch may write, in bytes of its records (each key and value
     * plus a few dozen bytes of framing): 64 MiB. A transaction is written as one unit and held
     * in memory until it is.
     */
    public static final int MAX_BATCH_BYTES = 64 * 1024 * 1024;

    /** The most keys a scan page may examine ({@link KvsEngine#scan}'s {@code count}). */
    public static final int MAX_SCAN_COUNT = 100_000;

    /** The page size of {@link KvsEngine#forEach}. */
    public static final int DEFAULT_SCAN_COUNT = 1000;

    private KvsLimits() {
    }

    /**
     * Returns {@code key} after checking its length.
     *
     * @throws NullPointerException if the key is null
     * @throws LimitExceededException if it is longer than {@link #MAX_KEY_BYTES}
     */
    public static byte[] checkKey(byte[] key) {
        return check(Objects.requireNonNull(key, "key must not be null"), "key", MAX_KEY_BYTES);
    }

    /**
     * Returns {@code value} after checking its length.
     *
     * @throws NullPointerException if the value is null
     * @throws LimitExceededException if it is longer than {@link #MAX_VALUE_BYTES}
     */
    public static byte[] checkValue(byte[] value) {
        return check(Objects.requireNonNull(value, "value must not be null"), "value", MAX_VALUE_BYTES);
    }

    /**
     * Returns {@code metadata} after checking its length.
     *
     * @throws NullPointerException if it is null
     * @throws LimitExceededException if it is longer than {@link #MAX_METADATA_BYTES}
     */
    public static byte[] checkMetadata(byte[] metadata) {
        return check(Objects.requireNonNull(metadata, "metadata must not be null"), "metadata", MAX_METADATA_BYTES);
    }

    /**
     * Returns {@code count} after checking it is a valid scan page size.
     *
     * @throws IllegalArgumentException if it is not between 1 and {@link #MAX_SCAN_COUNT}
     */
    public static int checkScanCount(int count) {
        if (count < 1 || count > MAX_SCAN_COUNT) {
            throw new IllegalArgumentException("scan count must be between 1 and " + MAX_SCAN_COUNT + ": " + count);
        }
        return count;
    }

    private static byte[] check(byte[] bytes, String what, int maxBytes) {
        if (bytes.length > maxBytes) {
            throw new LimitExceededException(what, bytes.length, maxBytes);
        }
        return bytes;
    }

    /**
     * Returns the UTF-8 bytes of {@code key}.
     *
     * @throws NullPointerException if the key is null
     * @throws LimitExceededException if it is longer than {@link #MAX_KEY_BYTES}
     * @throws InvalidStringException if it holds an unpaired surrogate
     */
    public static byte[] encodeKey(String key) {
        return encode(Objects.requireNonNull(key, "key must not be null"), "key", MAX_KEY_BYTES);
    }

    /**
     * Returns the UTF-8 bytes of {@code value}.
     *
     * @throws NullPointerException if the value is null
     * @throws LimitExceededException if it is longer than {@link #MAX_VALUE_BYTES}
     * @throws InvalidStringException if it holds an unpaired surrogate
     */
    public static byte[] encodeValue(String value) {
        return encode(Objects.requireNonNull(value, "value must not be null"), "value", MAX_VALUE_BYTES);
    }

    /** Decodes UTF-8 produced by {@link #encodeKey} or {@link #encodeValue}. */
    public static String decode(byte[] bytes, int offset, int length) {
        return new String(bytes, offset, length, StandardCharsets.UTF_8);
    }

    /** The number of bytes {@code s} takes in UTF-8, counting an unpaired surrogate as one. */
    public static long utf8Length(CharSequence s) {
        long bytes = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length()
                    && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += Character.isSurrogate(c) ? 1 : 3;
            }
        }
        return bytes;
    }

    private static byte[] encode(String s, String what, int maxBytes) {
        if (s.length() > maxBytes) {
            // Every char takes at least one byte: refuse before allocating the encoding.
            throw new LimitExceededException(what, utf8Length(s), maxBytes);
        }
        checkSurrogates(s, what);
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > maxBytes) {
            throw new LimitExceededException(what, bytes.length, maxBytes);
        }
        return bytes;
    }

    private static void checkSurrogates(String s, String what) {
        int length = s.length();
        for (int i = 0; i < length; i++) {
            char c = s.charAt(i);
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < length
                        && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                } else {
                    throw new InvalidStringException(what, i);
                }
            }
        }
    }
}
