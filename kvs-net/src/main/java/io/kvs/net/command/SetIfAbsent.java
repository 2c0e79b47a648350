package io.kvs.net.command;

import io.kvs.core.Entry;

import java.util.List;

/** SETNX key value: sets the key only if it does not exist; answers 1 if it did, else 0. */
public record SetIfAbsent(byte[] key, byte[] value) implements DataCommand {

    static SetIfAbsent parse(Arguments args) {
        return new SetIfAbsent(args.bytes(1), args.bytes(2));
    }

    @Override
    public Reply apply(Keys keys) {
        boolean[] written = new boolean[1];
        keys.update(key, current -> {
            if (current != null) {
                return current;
            }
            written[0] = true;
            return Entry.of(value);
        });
        return Reply.integer(written[0] ? 1 : 0);
    }

    @Override
    public List<byte[]> arguments() {
        return ArgumentList.command("SETNX").add(key).add(value).build();
    }

    @Override
    public boolean writes() {
        return true;
    }
}
