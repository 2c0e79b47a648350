package io.kvs.net.command;

import java.util.List;

/** TYPE key: {@code string}, or {@code none} if there is no key (kvs holds only strings). */
public record Type(byte[] key) implements DataCommand {

    static final Reply STRING = new Reply.Status("string");
    static final Reply NONE = new Reply.Status("none");

    static Type parse(Arguments args) {
        return new Type(args.bytes(1));
    }

    @Override
    public Reply apply(Keys keys) {
        return keys.get(key).isPresent() ? STRING : NONE;
    }

    @Override
    public List<byte[]> arguments() {
        return ArgumentList.command("TYPE").add(key).build();
    }

    @Override
    public boolean writes() {
        return false;
    }
}
