package io.kvs.net.command;

import java.util.List;

/** EXISTS key [key ...] (and TOUCH): how many of the keys exist, a key named twice counted twice. */
public record Exists(List<byte[]> keys) implements DataCommand {

    static Exists parse(Arguments args) {
        return new Exists(List.copyOf(args.from(1)));
    }

    @Override
    public Reply apply(Keys keys) {
        long found = 0;
        for (byte[] key : this.keys) {
            if (keys.get(key).isPresent()) {
                found++;
            }
        }
        return Reply.integer(found);
    }

    @Override
    public List<byte[]> arguments() {
        return ArgumentList.command("EXISTS").addAll(keys).build();
    }

    @Override
    public boolean writes() {
        return false;
    }
}
