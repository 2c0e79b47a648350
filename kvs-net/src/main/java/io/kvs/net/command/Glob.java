package io.kvs.net.command;

/**
 * Redis's glob patterns over bytes (KEYS, SCAN MATCH, CONFIG GET): {@code *} any run of bytes,
 * {@code ?} one byte, {@code [abc]}, {@code [^abc]} and {@code [a-z]} one byte of a set, and
 * {@code \} quoting the next byte. Matching is iterative with one backtrack point, so no pattern
 * costs more than (pattern length × subject length) steps.
 */
public final class Glob {

    private final byte[] pattern;
    private final boolean ignoreCase;

    private Glob(byte[] pattern, boolean ignoreCase) {
        this.pattern = pattern;
        this.ignoreCase = ignoreCase;
    }

    /** A pattern matching bytes exactly. */
    public static Glob of(byte[] pattern) {
        return new Glob(pattern, false);
    }

    /** A pattern ignoring ASCII case (CONFIG GET). */
    public static Glob ignoringCase(byte[] pattern) {
        return new Glob(pattern, true);
    }

    /** True if the pattern is {@code *}, which matches everything. */
    public boolean matchesEverything() {
        return pattern.length == 1 && pattern[0] == '*';
    }

    /** The bytes every match starts with: the pattern up to its first special byte. */
    public byte[] literalPrefix() {
        int i = 0;
        while (i < pattern.length && pattern[i] != '*' && pattern[i] != '?' && pattern[i] != '[' && pattern[i] != '\\') {
            i++;
        }
        return java.util.Arrays.copyOf(pattern, i);
    }

    /**
     * True if the whole of {@code subject} matches. As in Redis, the empty subject matches only
     * the empty pattern and {@code *} (Redis's matcher stops at the subject's end before it looks
     * at the pattern, and KEYS and SCAN take {@code *} alone as "everything").
     */
    public boolean matches(byte[] subject) {
        if (subject.length == 0) {
            return pattern.length == 0 || matchesEverything();
        }
        int p = 0;
        int s = 0;
        int starP = -1;
        int starS = -1;
        while (s < subject.length) {
            if (p < pattern.length && pattern[p] == '*') {
                while (p < pattern.length && pattern[p] == '*') {
                    p++;
                }
                if (p == pattern.length) {
                    return true;
                }
                starP = p;
                starS = s;
                continue;
            }
            int consumed = p < pattern.length ? matchOne(p, subject[s]) : -1;
            if (consumed > 0) {
                p += consumed;
                s++;
            } else if (starP >= 0) {
                p = starP;
                s = ++starS;
            } else {
                return false;
            }
        }
        while (p < pattern.length && pattern[p] == '*') {
            p++;
        }
        return p == pattern.length;
    }

    /** If the pattern element at {@code p} matches byte {@code c}: its length; else -1. */
    private int matchOne(int p, byte c) {
        byte first = pattern[p];
        if (first == '?') {
            return 1;
        }
        if (first == '\\' && p + 1 < pattern.length) {
            return same(pattern[p + 1], c) ? 2 : -1;
        }
        if (first != '[') {
            return same(first, c) ? 1 : -1;
        }
        int i = p + 1;
        boolean negate = i < pattern.length && pattern[i] == '^';
        if (negate) {
            i++;
        }
        boolean matched = false;
        while (i < pattern.length && pattern[i] != ']') {
            if (pattern[i] == '\\' && i + 1 < pattern.length) {
                matched |= same(pattern[i + 1], c);
                i += 2;
            } else if (i + 2 < pattern.length && pattern[i + 1] == '-') {
                int low = fold(pattern[i]) & 0xFF;
                int high = fold(pattern[i + 2]) & 0xFF;
                if (low > high) {
                    int t = low;
                    low = high;
                    high = t;
                }
                int v = fold(c) & 0xFF;
                matched |= v >= low && v <= high;
                i += 3;
            } else {
                matched |= same(pattern[i], c);
                i++;
            }
        }
        int end = i < pattern.length ? i + 1 : i; // an unterminated class ends with the pattern
        return matched != negate ? end - p : -1;
    }

    private boolean same(byte a, byte b) {
        return a == b || ignoreCase && fold(a) == fold(b);
    }

    private byte fold(byte b) {
        return ignoreCase && b >= 'A' && b <= 'Z' ? (byte) (b + ('a' - 'A')) : b;
    }
}
