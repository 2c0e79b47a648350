package io.kvs.net.command;

import io.kvs.core.Entry;

import java.nio.charset.StandardCharsets;

import java.util.List;

/**
 * INCR, INCRBY, DECR, DECRBY: adds {@code delta} to the integer held by the key (0 if there is
 * none) and answers the result; keeps the expiry. A value that is not a 64-bit integer, or a
 * result that would overflow, is an error and nothing is written.
 */
public record IncrBy(byte[] key, long delta) implements DataCommand {

    static IncrBy parse(Arguments args, long sign, boolean hasAmount) {
        if (!hasAmount) {
            return new IncrBy(args.bytes(1), sign);
        }
        long amount = args.integer(2);
        if (sign < 0 && amount == Long.MIN_VALUE) {
            throw new InvalidCommandException(Reply.err("decrement would overflow"));
        }
        return new IncrBy(args.bytes(1), sign * amount);
    }

    @Override
    public Reply apply(Keys keys) {
        Reply[] reply = new Reply[1];
        keys.update(key, current -> {
            long old = 0;
            if (current != null) {
                Long parsed = Arguments.tryParseInteger(current.value());
                if (parsed == null) {
                    reply[0] = Reply.err("value is not an integer or out of range");
                    return current;
                }
                old = parsed;
            }
            long sum = old + delta;
            if (((old ^ sum) & (delta ^ sum)) < 0) {
                reply[0] = Reply.err("increment or decrement would overflow");
                return current;
            }
            reply[0] = new Reply.Int(sum);
            byte[] value = Long.toString(sum).getBytes(StandardCharsets.US_ASCII);
            return current == null ? Entry.of(value) : current.withValue(value);
        });
        return reply[0];
    }

    @Override
    public List<byte[]> arguments() {
        return ArgumentList.command("INCRBY").add(key).add(delta).build();
    }

    @Override
    public boolean writes() {
        return true;
    }
}
