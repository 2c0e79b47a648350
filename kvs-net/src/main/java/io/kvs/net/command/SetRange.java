package io.kvs.net.command;

import io.kvs.core.Entry;

import java.util.Arrays;
import java.util.List;

/**
 * SETRANGE key offset value: overwrites the value from {@code offset}, padding with zero bytes
 * if it is shorter; answers the new length. An empty {@code value} changes nothing (and creates
 * no key). Keeps the expiry.
 */
public record SetRange(byte[] key, long offset, byte[] value) implements DataCommand {

    static SetRange parse(Arguments args) {
        long offset = args.integer(2);
        if (offset < 0) {
            throw new InvalidCommandException(Reply.err("offset is out of range"));
        }
        return new SetRange(args.bytes(1), offset, args.bytes(3));
    }

    @Override
    public Reply apply(Keys keys) {
        Reply[] reply = new Reply[1];
        keys.update(key, current -> {
            byte[] old = current == null ? new byte[0] : current.value();
            if (value.length == 0) {
                reply[0] = Reply.integer(old.length);
                return current;
            }
            if (offset > StringValues.MAX_BYTES - value.length) { // offset + length, without overflowing
                reply[0] = StringValues.tooLong();
                return current;
            }
            int length = (int) Math.max(old.length, offset + value.length);
            byte[] updated = Arrays.copyOf(old, length);
            System.arraycopy(value, 0, updated, (int) offset, value.length);
            reply[0] = Reply.integer(length);
            return current == null ? Entry.of(updated) : current.withValue(updated);
        });
        return reply[0];
    }

    @Override
    public List<byte[]> arguments() {
        return ArgumentList.command("SETRANGE").add(key).add(offset).add(value).build();
    }

    @Override
    public boolean writes() {
        return true;
    }
}
