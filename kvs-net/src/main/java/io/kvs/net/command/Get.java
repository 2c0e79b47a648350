package io.kvs.net.command;

import java.util.List;

/** GET key: the value, or null. */
public record Get(byte[] key) implements DataCommand {

    static Get parse(Arguments args) {
        return new Get(args.bytes(1));
    }

    @Override
    public Reply apply(Keys keys) {
        return keys.get(key).<Reply>map(entry -> new Reply.Bulk(entry.value())).orElse(Reply.NULL);
    }

    @Override
    public void addKeysRead(List<byte[]> into) {
        into.add(key);
    }

    @Override
    public List<byte[]> arguments() {
        return ArgumentList.command("GET").add(key).build();
    }

    @Override
    public boolean writes() {
        return false;
    }
}
