package io.kvs.net.command;

import io.kvs.core.Entry;

import java.util.Arrays;
import java.util.List;

/** APPEND key value: appends to the value (creating the key); answers the new length. Keeps the expiry. */
public record Append(byte[] key, byte[] value) implements DataCommand {

    static Append parse(Arguments args) {
        return new Append(args.bytes(1), args.bytes(2));
    }

    @Override
    public Reply apply(Keys keys) {
        Reply[] reply = new Reply[1];
        keys.update(key, current -> {
            byte[] old = current == null ? new byte[0] : current.value();
            long length = (long) old.length + value.length;
            if (length > StringValues.MAX_BYTES) {
                reply[0] = StringValues.tooLong();
                return current;
            }
            byte[] joined = Arrays.copyOf(old, (int) length);
            System.arraycopy(value, 0, joined, old.length, value.length);
            reply[0] = Reply.integer(length);
            return current == null ? Entry.of(joined) : current.withValue(joined);
        });
        return reply[0];
    }

    @Override
    public List<byte[]> arguments() {
        return ArgumentList.command("APPEND").add(key).add(value).build();
    }

    @Override
    public boolean writes() {
        return true;
    }
}
