package io.kvs.net.command;

import java.util.Arrays;
import java.util.List;

/**
 * GETRANGE key start end: the bytes from {@code start} to {@code end}, both included; negative
 * offsets count from the end ({@code -1} is the last byte). Out-of-range offsets are clamped;
 * an empty string if nothing is left (or there is no key).
 */
public record GetRange(byte[] key, long start, long end) implements DataCommand {

    private static final byte[] EMPTY = new byte[0];

    static GetRange parse(Arguments args) {
        return new GetRange(args.bytes(1), args.integer(2), args.integer(3));
    }

    @Override
    public Reply apply(Keys keys) {
        byte[] value = keys.get(key).map(entry -> entry.value()).orElse(EMPTY);
        long length = value.length;
        if (start < 0 && end < 0 && start > end) {
            return new Reply.Bulk(EMPTY);
        }
        long from = start < 0 ? Math.max(0, length + start) : start;
        long to = end < 0 ? Math.max(0, length + end) : end;
        to = Math.min(to, length - 1);
        if (length == 0 || from > to) {
            return new Reply.Bulk(EMPTY);
        }
        return new Reply.Bulk(Arrays.copyOfRange(value, (int) from, (int) to + 1));
    }

    @Override
    public List<byte[]> arguments() {
        return ArgumentList.command("GETRANGE").add(key).add(start).add(end).build();
    }

    @Override
    public boolean writes() {
        return false;
    }
}
