package io.kvs.net.command;

import java.util.List;

/** DEL key [key ...] (and UNLINK): removes the keys; answers how many existed. */
public record Del(List<byte[]> keys) implements DataCommand {

    static Del parse(Arguments args) {
        return new Del(List.copyOf(args.from(1)));
    }

    @Override
    public Reply apply(Keys keys) {
        if (this.keys.size() == 1) {
            return Reply.integer(keys.delete(this.keys.get(0)) ? 1 : 0);
        }
        return keys.atomically(inside -> {
            long removed = 0;
            for (byte[] key : this.keys) {
                if (inside.delete(key)) {
                    removed++;
                }
            }
            return Reply.integer(removed);
        });
    }

    @Override
    public List<byte[]> arguments() {
        return ArgumentList.command("DEL").addAll(keys).build();
    }

    @Override
    public boolean writes() {
        return true;
    }
}
