package io.kvs.net.command;

import io.kvs.core.Entry;

import java.util.List;

/** PERSIST key: removes the key's expiry; answers 1 if it had one, 0 if not (or there is no key). */
public record Persist(byte[] key) implements DataCommand {

    static Persist parse(Arguments args) {
        return new Persist(args.bytes(1));
    }

    @Override
    public Reply apply(Keys keys) {
        boolean[] removed = new boolean[1];
        keys.update(key, current -> {
            if (current == null || !current.hasExpiry()) {
                return current;
            }
            removed[0] = true;
            return current.withExpiry(Entry.NO_EXPIRY);
        });
        return Reply.integer(removed[0] ? 1 : 0);
    }

    @Override
    public List<byte[]> arguments() {
        return ArgumentList.command("PERSIST").add(key).build();
    }

    @Override
    public boolean writes() {
        return true;
    }
}
