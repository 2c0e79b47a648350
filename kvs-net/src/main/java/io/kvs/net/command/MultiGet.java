package io.kvs.net.command;

import java.util.ArrayList;
import java.util.List;

/** MGET key [key ...]: each key's value or null, in order. */
public record MultiGet(List<byte[]> keys) implements DataCommand {

    static MultiGet parse(Arguments args) {
        return new MultiGet(List.copyOf(args.from(1)));
    }

    /** How many keys one {@link Keys#prefetch} is given, ahead of their reads. */
    private static final int PREFETCH_KEYS = 16;

    @Override
    public Reply apply(Keys keys) {
        List<Reply> values = new ArrayList<>(this.keys.size());
        for (int i = 0; i < this.keys.size(); i++) {
            if (i % PREFETCH_KEYS == 0 && this.keys.size() > 1) {
                keys.prefetch(this.keys.subList(i, Math.min(i + PREFETCH_KEYS, this.keys.size())));
            }
            byte[] key = this.keys.get(i);
            values.add(keys.get(key).<Reply>map(entry -> new Reply.Bulk(entry.value())).orElse(Reply.NULL));
        }
        return new Reply.Array(values);
    }

    @Override
    public List<byte[]> arguments() {
        return ArgumentList.command("MGET").addAll(keys).build();
    }

    @Override
    public boolean writes() {
        return false;
    }
}
