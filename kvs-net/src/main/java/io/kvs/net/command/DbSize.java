package io.kvs.net.command;

import java.util.List;

/** DBSIZE: the number of keys. */
public record DbSize() implements DataCommand {

    static DbSize parse(Arguments args) {
        return new DbSize();
    }

    @Override
    public Reply apply(Keys keys) {
        return Reply.integer(keys.size());
    }

    @Override
    public List<byte[]> arguments() {
        return ArgumentList.command("DBSIZE").build();
    }

    @Override
    public boolean writes() {
        return false;
    }
}
