package io.kvs.net.command;

import io.kvs.core.Entry;

import java.util.List;

/**
 * MSET key value [key value ...] and MSETNX: sets every pair as one atomic batch. MSET answers
 * OK; MSETNX sets nothing if any of the keys exists, and answers 1 if it set them, else 0.
 */
public record MultiSet(List<byte[]> keysAndValues, boolean onlyIfNoneExists) implements DataCommand {

    static MultiSet parse(Arguments args, boolean onlyIfNoneExists) {
        if (args.count() % 2 != 1) {
            throw new InvalidCommandException(Reply.err("wrong number of arguments for '" + args.name() + "' command"));
        }
        return new MultiSet(List.copyOf(args.from(1)), onlyIfNoneExists);
    }

    @Override
    public Reply apply(Keys keys) {
        return keys.atomically(inside -> {
            if (onlyIfNoneExists) {
                for (int i = 0; i < keysAndValues.size(); i += 2) {
                    if (inside.get(keysAndValues.get(i)).isPresent()) {
                        return Reply.ZERO;
                    }
                }
            }
            for (int i = 0; i < keysAndValues.size(); i += 2) {
                inside.put(keysAndValues.get(i), Entry.of(keysAndValues.get(i + 1)));
            }
            return onlyIfNoneExists ? Reply.ONE : Reply.OK;
        });
    }

    @Override
    public List<byte[]> arguments() {
        return ArgumentList.command(onlyIfNoneExists ? "MSETNX" : "MSET").addAll(keysAndValues).build();
    }

    @Override
    public boolean writes() {
        return true;
    }
}
