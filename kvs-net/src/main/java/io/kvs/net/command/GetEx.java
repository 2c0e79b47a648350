package io.kvs.net.command;

import io.kvs.core.Entry;

import java.util.List;

/**
 * GETEX key [EX s | PX ms | EXAT s | PXAT ms | PERSIST]: the value, or null; with an option, the
 * key's expiry is changed too ({@link ExpirySpec.Kind#KEEP}: unchanged). As in Redis, a time that
 * is not a valid expiry is an error only for a key that exists: for a missing key the answer is
 * null ({@code invalidTime} holds the error, and {@code given} the arguments as sent).
 */
public record GetEx(byte[] key, ExpirySpec expiry, Reply.Error invalidTime, List<byte[]> given) implements DataCommand {

    /** GETEX of {@code key} changing its expiry as {@code expiry} says. */
    public GetEx(byte[] key, ExpirySpec expiry) {
        this(key, expiry, null, null);
    }

    static GetEx parse(Arguments args) {
        StringOptions options = StringOptions.parse(args, 2, StringOptions.Of.GETEX);
        ExpirySpec time;
        try {
            time = options.time(args, "getex");
        } catch (InvalidCommandException e) {
            return new GetEx(args.bytes(1), ExpirySpec.KEEP, e.error(), List.copyOf(args.from(0)));
        }
        ExpirySpec expiry = time != null ? time : options.persist ? ExpirySpec.PERSIST : ExpirySpec.KEEP;
        return new GetEx(args.bytes(1), expiry);
    }

    @Override
    public Reply apply(Keys keys) {
        if (invalidTime != null) {
            return keys.get(key).isPresent() ? invalidTime : Reply.NULL;
        }
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
        if (given != null) {
            return given;
        }
        ArgumentList list = ArgumentList.command("GETEX").add(key).time(expiry);
        return (expiry.kind() == ExpirySpec.Kind.PERSIST ? list.add("PERSIST") : list).build();
    }

    @Override
    public boolean writes() {
        return invalidTime == null && expiry != ExpirySpec.KEEP;
    }
}
