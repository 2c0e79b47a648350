package io.kvs.net.command;

import java.util.List;

/** STRLEN key: the value's length in bytes, 0 if there is no key. */
public record StrLen(byte[] key) implements DataCommand {

    static StrLen parse(Arguments args) {
        return new StrLen(args.bytes(1));
    }

    @Override
    public Reply apply(Keys keys) {
        return Reply.integer(keys.get(key).map(entry -> entry.value().length).orElse(0));
    }

    @Override
    public List<byte[]> arguments() {
        return ArgumentList.command("STRLEN").add(key).build();
    }

    @Override
    public boolean writes() {
        return false;
    }
}
