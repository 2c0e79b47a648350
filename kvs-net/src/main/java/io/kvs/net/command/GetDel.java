package io.kvs.net.command;

import io.kvs.core.Entry;

import java.util.List;

/** GETDEL key: the value, or null, and the key is removed. */
public record GetDel(byte[] key) implements DataCommand {

    static GetDel parse(Arguments args) {
        return new GetDel(args.bytes(1));
    }

    @Override
    public Reply apply(Keys keys) {
        Entry[] old = new Entry[1];
        keys.update(key, current -> {
            old[0] = current;
            return null;
        });
        return old[0] == null ? Reply.NULL : new Reply.Bulk(old[0].value());
    }

    @Override
    public List<byte[]> arguments() {
        return ArgumentList.command("GETDEL").add(key).build();
    }

    @Override
    public boolean writes() {
        return true;
    }
}
