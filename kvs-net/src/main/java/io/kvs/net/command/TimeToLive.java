package io.kvs.net.command;

import io.kvs.core.Entry;

import java.util.Optional;
import java.util.List;

/**
 * TTL, PTTL, EXPIRETIME, PEXPIRETIME key: the time the key has left (rounded to the nearest
 * second for TTL) or the time it expires at (since the epoch); -2 if there is no key, -1 if it
 * does not expire.
 */
public record TimeToLive(byte[] key, boolean inSeconds, boolean absolute) implements DataCommand {

    static TimeToLive parse(Arguments args, boolean inSeconds, boolean absolute) {
        return new TimeToLive(args.bytes(1), inSeconds, absolute);
    }

    @Override
    public Reply apply(Keys keys) {
        Optional<Entry> entry = keys.get(key);
        if (entry.isEmpty()) {
            return new Reply.Int(-2);
        }
        if (!entry.get().hasExpiry()) {
            return new Reply.Int(-1);
        }
        long expiresAt = entry.get().expiresAtMillis();
        long millis = absolute ? expiresAt : Math.max(0, expiresAt - keys.nowMillis());
        // Seconds rounded to the nearest, (millis + 500) / 1000 without overflowing near Long.MAX_VALUE.
        return Reply.integer(inSeconds ? millis / 1000 + (millis % 1000 + 500) / 1000 : millis);
    }

    @Override
    public List<byte[]> arguments() {
        String name = absolute ? (inSeconds ? "EXPIRETIME" : "PEXPIRETIME") : (inSeconds ? "TTL" : "PTTL");
        return ArgumentList.command(name).add(key).build();
    }

    @Override
    public boolean writes() {
        return false;
    }
}
