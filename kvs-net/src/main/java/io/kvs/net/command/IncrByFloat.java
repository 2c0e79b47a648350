package io.kvs.net.command;

import io.kvs.core.Entry;

import java.nio.charset.StandardCharsets;

import java.util.List;

/**
 * INCRBYFLOAT key increment: adds {@code increment} to the number held by the key (0 if none)
 * and answers the result as a string; keeps the expiry. Both numbers are read, added and printed
 * as Redis does on x86-64, in 80-bit extended precision ({@link LongDouble}), so the digits are
 * Redis's: {@code 10.5 + 0.1} is {@code 10.6}, {@code 5.0e3 + 2.0e2} is {@code 5200}, and
 * {@code 1000 + 0.1} is {@code 1000.09999999999999998}. {@code increment} is the text as sent,
 * already known to be a number.
 */
public record IncrByFloat(byte[] key, byte[] increment) implements DataCommand {

    private static final String NOT_A_FLOAT = "value is not a valid float";

    static IncrByFloat parse(Arguments args) {
        byte[] text = args.bytes(2);
        if (LongDouble.parse(text) == null) {
            throw new InvalidCommandException(Reply.err(NOT_A_FLOAT));
        }
        return new IncrByFloat(args.bytes(1), text);
    }

    @Override
    public Reply apply(Keys keys) {
        Reply[] reply = new Reply[1];
        LongDouble by = LongDouble.parse(increment);
        keys.update(key, current -> {
            LongDouble old = current == null ? LongDouble.ZERO : LongDouble.parse(current.value());
            if (old == null || by == null) {
                reply[0] = Reply.err(NOT_A_FLOAT);
                return current;
            }
            LongDouble sum = old.add(by);
            if (sum == null || sum.isInfinite()) {
                reply[0] = Reply.err("increment would produce NaN or Infinity");
                return current;
            }
            byte[] value = sum.format().getBytes(StandardCharsets.US_ASCII);
            reply[0] = new Reply.Bulk(value);
            return current == null ? Entry.of(value) : current.withValue(value);
        });
        return reply[0];
    }

    @Override
    public List<byte[]> arguments() {
        return ArgumentList.command("INCRBYFLOAT").add(key).add(increment).build();
    }

    @Override
    public boolean writes() {
        return true;
    }
}
