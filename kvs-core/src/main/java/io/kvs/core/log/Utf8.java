package io.kvs.core.log;

import io.kvs.core.InvalidStringException;

import java.util.Objects;

/**
 * UTF-8 of short strings straight into a record ({@link RecordDescriptor#encodeSet(String, String)}),
 * with {@link io.kvs.core.KvsLimits}'s rules: an unpaired surrogate is refused with
 * {@link InvalidStringException}, never replaced. Only for strings short enough that no limit
 * can be exceeded (the caller sends longer ones through {@code KvsLimits}).
 */
final class Utf8 {

    private Utf8() {
    }

    /**
     * The UTF-8 length of {@code s}.
     *
     * @throws NullPointerException if {@code s} is null ("{@code what} must not be null")
     * @throws InvalidStringException if it holds an unpaired surrogate
     */
    static int length(String s, String what) {
        Objects.requireNonNull(s, () -> what + " must not be null");
        int length = s.length();
        int bytes = length;
        for (int i = 0; i < length; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                if (c < 0x800) {
                    bytes += 1;
                } else if (Character.isSurrogate(c)) {
                    if (!Character.isHighSurrogate(c) || i + 1 >= length || !Character.isLowSurrogate(s.charAt(i + 1))) {
                        throw new InvalidStringException(what, i);
                    }
                    bytes += 2; // four bytes for the two chars of the pair
                    i++;
                } else {
                    bytes += 2;
                }
            }
        }
        return bytes;
    }

    /** True if every char of {@code s} is ASCII, so its UTF-8 is one byte per char. */
    static boolean isAscii(String s) {
        int bits = 0;
        for (int i = 0, length = s.length(); i < length; i++) {
            bits |= s.charAt(i);
        }
        return bits < 0x80;
    }

    /**
     * Copies the ASCII string {@code s} ({@link #isAscii}) into {@code target} at {@code offset}:
     * one byte per char, which is its UTF-8 ({@code String.getBytes(int, int, byte[], int)} keeps
     * each char's low eight bits, exact for ASCII, and copies a Latin-1 string's array directly).
     */
    @SuppressWarnings("deprecation")
    static void copyAscii(String s, byte[] target, int offset) {
        s.getBytes(0, s.length(), target, offset);
    }

    /** Writes the UTF-8 of {@code s} (checked by {@link #length}) into {@code target} at {@code offset}. */
    static void encode(String s, byte[] target, int offset) {
        int at = offset;
        int length = s.length();
        for (int i = 0; i < length; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                target[at++] = (byte) c;
            } else if (c < 0x800) {
                target[at++] = (byte) (0xC0 | (c >> 6));
                target[at++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isHighSurrogate(c)) {
                int codePoint = Character.toCodePoint(c, s.charAt(++i));
                target[at++] = (byte) (0xF0 | (codePoint >> 18));
                target[at++] = (byte) (0x80 | ((codePoint >> 12) & 0x3F));
                target[at++] = (byte) (0x80 | ((codePoint >> 6) & 0x3F));
                target[at++] = (byte) (0x80 | (codePoint & 0x3F));
            } else {
                target[at++] = (byte) (0xE0 | (c >> 12));
                target[at++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                target[at++] = (byte) (0x80 | (c & 0x3F));
            }
        }
    }
}
