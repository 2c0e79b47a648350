package io.kvs.net.command;

import io.kvs.core.Entry;

import java.util.Arrays;
import java.util.Optional;
import java.util.List;

/**
 * RENAME source target and RENAMENX: moves the value and its expiry to {@code target}
 * (replacing what it held; RENAMENX only if it does not exist), atomically. RENAME answers OK,
 * RENAMENX 1 or 0; a missing source is the error "no such key".
 */
public record Rename(byte[] source, byte[] target, boolean onlyIfTargetAbsent) implements DataCommand {

    static Rename parse(Arguments args, boolean onlyIfTargetAbsent) {
        return new Rename(args.bytes(1), args.bytes(2), onlyIfTargetAbsent);
    }

    @Override
    public Reply apply(Keys keys) {
        return keys.atomically(inside -> {
            Optional<Entry> entry = inside.get(source);
            if (entry.isEmpty()) {
                return Reply.err("no such key");
            }
            if (Arrays.equals(source, target)) {
                return onlyIfTargetAbsent ? Reply.ZERO : Reply.OK;
            }
            if (onlyIfTargetAbsent && inside.get(target).isPresent()) {
                return Reply.ZERO;
            }
            inside.put(target, entry.get());
            inside.delete(source);
            return onlyIfTargetAbsent ? Reply.ONE : Reply.OK;
        });
    }

    @Override
    public List<byte[]> arguments() {
        return ArgumentList.command(onlyIfTargetAbsent ? "RENAMENX" : "RENAME").add(source).add(target).build();
    }

    @Override
    public boolean writes() {
        return true;
    }
}
