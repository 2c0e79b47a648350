package io.kvs.net.command;

import io.kvs.core.Entry;

import java.util.List;

/**
 * GETEX key [EX s | PX ms | EXAT s | PXAT ms | PERSIST]: the value, or null; with an option, the
 * key's expiry is changed too ({@link ExpirySpec.Kind#KEEP}: unchanged).
 */
public record GetEx(byte[] key, ExpirySpec expiry) implements DataCommand {

    static GetEx parse(Arguments args) {
        ExpirySpec expiry = ExpirySpec.KEEP;
        ExpirySpec time;
        for (int i = 2; i < args.count(); i++) {
            if (args.is(i, "persist") && expiry == ExpirySpec.KEEP) {
                expiry = ExpirySpec.PERSIST;
            } else if (expiry == ExpirySpec.KEEP && (time = ExpirySpec.timeOption(args, i, "getex")) != null) {
                expiry = time;
                i++;
            } else {
                throw InvalidCommandException.syntax();
            }
        }
        return new GetEx(args.bytes(1), expiry);
    }

    @Override
    public Reply apply(Keys keys) {
        if (expiry == ExpirySpec.KEEP) {
            return keys.get(key).<Reply>map(entry -> new Reply.Bulk(entry.value())).orElse(Reply.NULL);
        }
        Entry[] found = new Entry[1];
        long now = keys.nowMillis();
        keys.update(key, current -> {
            found[0] = current;
            if (current == null) {
                return null;
            }
            long expiresAt = expiry.resolve(current, now);
            return expiresAt == current.expiresAtMillis() ? current : current.withExpiry(expiresAt);
        });
        return found[0] == null ? Reply.NULL : new Reply.Bulk(found[0].value());
    }

    @Override
    public List<byte[]> arguments() {
        ArgumentList list = ArgumentList.command("GETEX").add(key).time(expiry);
        return (expiry.kind() == ExpirySpec.Kind.PERSIST ? list.add("PERSIST") : list).build();
    }

    @Override
    public boolean writes() {
        return expiry != ExpirySpec.KEEP;
    }
}
