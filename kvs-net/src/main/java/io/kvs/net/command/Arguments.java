package io.kvs.net.command;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The arguments of one request as the client sent them (binary-safe): index 0 is the command
 * name. Numbers and options are read with Redis's rules, so the errors are Redis's too.
 */
public final class Arguments {

    /** The longest decimal integer Redis accepts: 20 digits and a sign. */
    private static final int MAX_INTEGER_CHARS = 21;

    private final List<byte[]> items;
    /** {@link #name()}, once computed. */
    private String name;

    /** The arguments {@code items}, the command name first. */
    public Arguments(List<byte[]> items) {
        if (items.isEmpty()) {
            throw new IllegalArgumentException("a request has at least its command name");
        }
        this.items = items;
    }

    /** Arguments made of strings (UTF-8), for tests and the kvs protocol. */
    public static Arguments of(String... items) {
        byte[][] bytes = new byte[items.length][];
        for (int i = 0; i < items.length; i++) {
            bytes[i] = items[i].getBytes(StandardCharsets.UTF_8);
        }
        return new Arguments(List.of(bytes));
    }

    /** How many there are, the command name included. */
    public int count() {
        return items.size();
    }

    /** Argument {@code i} as sent. */
    public byte[] bytes(int i) {
        return items.get(i);
    }

    /** Arguments {@code from} to the end. */
    public List<byte[]> from(int from) {
        return items.subList(from, items.size());
    }

    /** Argument {@code i} as text (UTF-8; invalid bytes become U+FFFD). */
    public String text(int i) {
        return new String(items.get(i), StandardCharsets.UTF_8);
    }

    /**
     * Argument {@code i} as Redis's error messages print an argument (C's {@code %s}): its text
     * up to its first NUL byte.
     */
    public String printed(int i) {
        String text = text(i);
        int nul = text.indexOf('\0');
        return nul < 0 ? text : text.substring(0, nul);
    }

    /** The command name in lower case, as Redis names commands in its errors. */
    public String name() {
        String lower = name;
        if (lower == null) {
            lower = lowerAscii(items.get(0));
            name = lower;
        }
        return lower;
    }

    /** Sets the lower-case name when the caller already knows it (a table lookup found it). */
    void knownName(String lowerCaseName) {
        this.name = lowerCaseName;
    }

    /** True if argument {@code i} is {@code option}, ignoring ASCII case. */
    public boolean is(int i, String option) {
        byte[] item = items.get(i);
        if (item.length != option.length()) {
            return false;
        }
        for (int j = 0; j < item.length; j++) {
            int c = item[j];
            if (c >= 'A' && c <= 'Z') {
                c += 'a' - 'A';
            }
            int o = Character.toLowerCase(option.charAt(j));
            if (c != o) {
                return false;
            }
        }
        return true;
    }

    /** Argument {@code i} as a signed 64-bit integer, as Redis's {@code string2ll} reads it. */
    public long integer(int i) {
        return parseInteger(items.get(i));
    }

    /**
     * {@code bytes} as a decimal integer with Redis's rules: an optional minus sign, no plus sign,
     * no spaces, no leading zeros, no overflow.
     *
     * @throws InvalidCommandException "value is not an integer or out of range" otherwise
     */
    static long parseInteger(byte[] bytes) {
        Long value = tryParseInteger(bytes);
        if (value == null) {
            throw InvalidCommandException.notAnInteger();
        }
        return value;
    }

    /** {@link #parseInteger}, or null if {@code bytes} is not such an integer. */
    static Long tryParseInteger(byte[] bytes) {
        int length = bytes.length;
        if (length == 0 || length > MAX_INTEGER_CHARS) {
            return null;
        }
        if (length == 1 && bytes[0] == '0') {
            return 0L;
        }
        int i = 0;
        boolean negative = bytes[0] == '-';
        if (negative) {
            i++;
            if (i == length) {
                return null;
            }
        }
        if (bytes[i] < '1' || bytes[i] > '9') {
            return null;
        }
        long value = 0; // accumulated as a negative number, which has room for Long.MIN_VALUE
        for (; i < length; i++) {
            int digit = bytes[i] - '0';
            if (digit < 0 || digit > 9) {
                return null;
            }
            if (value < (Long.MIN_VALUE + digit) / 10) {
                return null;
            }
            value = value * 10 - digit;
        }
        if (!negative) {
            if (value == Long.MIN_VALUE) {
                return null;
            }
            value = -value;
        }
        return value;
    }

    private static String lowerAscii(byte[] bytes) {
        char[] chars = new char[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            int c = bytes[i] & 0xFF;
            chars[i] = (char) (c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
        }
        return new String(chars);
    }
}
