package io.kvs.net.command;

import io.kvs.core.KvsLimits;
import io.kvs.core.ScanPage;

import java.util.ArrayList;
import java.util.List;

/**
 * SCAN cursor [MATCH pattern] [COUNT count] [TYPE type]: one page of the keys, with Redis's
 * guarantee (a key present for the whole scan is returned at least once). The cursor is the
 * engine's scan position as an unsigned decimal, 0 to start and when done; COUNT (default 10,
 * at most {@value KvsLimits#MAX_SCAN_COUNT} used) is how many keys the page examines. TYPE
 * other than {@code string} returns no keys: kvs holds only strings.
 */
public record Scan(long cursor, byte[] pattern, int count, boolean typeMatches) implements DataCommand {

    /** COUNT when none is given, as in Redis. */
    static final int DEFAULT_COUNT = 10;

    static Scan parse(Arguments args) {
        long cursor = parseCursor(args.bytes(1));
        byte[] pattern = null;
        long count = DEFAULT_COUNT;
        boolean typeMatches = true;
        for (int i = 2; i < args.count(); i++) {
            boolean hasNext = i + 1 < args.count();
            if (args.is(i, "match") && hasNext) {
                pattern = args.bytes(++i);
            } else if (args.is(i, "count") && hasNext) {
                count = args.integer(++i);
                if (count < 1) {
                    throw InvalidCommandException.syntax();
                }
            } else if (args.is(i, "type") && hasNext) {
                typeMatches = args.is(++i, "string");
            } else {
                throw InvalidCommandException.syntax();
            }
        }
        return new Scan(cursor, pattern, (int) Math.min(count, KvsLimits.MAX_SCAN_COUNT), typeMatches);
    }

    /**
     * A cursor as Redis reads it, with C's {@code strtoul}: decimal digits, an optional sign (a
     * negative cursor wraps around, {@code -1} is 2^64 - 1), no leading space, nothing after the
     * digits, at most 2^64 - 1; the empty string is cursor 0.
     */
    static long parseCursor(byte[] bytes) {
        if (bytes.length == 0) {
            return 0;
        }
        int i = 0;
        boolean negative = false;
        if (bytes[0] == '+' || bytes[0] == '-') {
            negative = bytes[0] == '-';
            i++;
        }
        if (i == bytes.length) {
            throw invalidCursor();
        }
        long value = 0;
        for (; i < bytes.length; i++) {
            int digit = bytes[i] - '0';
            if (digit < 0 || digit > 9) {
                throw invalidCursor();
            }
            // value * 10 + digit must stay within 2^64 - 1, compared unsigned.
            if (Long.compareUnsigned(value, Long.divideUnsigned(-1L - digit, 10)) > 0) {
                throw invalidCursor();
            }
            value = value * 10 + digit;
        }
        return negative ? -value : value;
    }

    private static InvalidCommandException invalidCursor() {
        return new InvalidCommandException(Reply.err("invalid cursor"));
    }

    @Override
    public Reply apply(Keys keys) {
        Glob glob = pattern == null ? null : Glob.of(pattern);
        if (glob != null && glob.matchesEverything()) {
            glob = null;
        }
        ScanPage page = keys.scan(cursor, count, glob == null ? new byte[0] : glob.literalPrefix());
        List<Reply> found = new ArrayList<>();
        if (typeMatches) {
            for (byte[] key : page.keys()) {
                if (glob == null || glob.matches(key)) {
                    found.add(new Reply.Bulk(key));
                }
            }
        }
        return new Reply.Array(List.of(Reply.Bulk.of(Long.toUnsignedString(page.cursor())), new Reply.Array(found)));
    }

    @Override
    public List<byte[]> arguments() {
        ArgumentList list = ArgumentList.command("SCAN").add(Long.toUnsignedString(cursor));
        if (pattern != null) {
            list.add("MATCH").add(pattern);
        }
        return list.add("COUNT").add(count).add("TYPE").add(typeMatches ? "string" : "none").build();
    }

    @Override
    public boolean writes() {
        return false;
    }
}
