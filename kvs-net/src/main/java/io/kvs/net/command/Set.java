package io.kvs.net.command;

import io.kvs.core.Entry;

import java.util.List;

/**
 * SET key value [NX | XX] [GET] [EX s | PX ms | EXAT s | PXAT ms | KEEPTTL], and SETEX, PSETEX
 * and GETSET, which are SETs with fixed options. Answers OK, or null if NX or XX stopped it;
 * with GET, the old value or null.
 */
public record Set(byte[] key, byte[] value, Condition condition, boolean returnOld, ExpirySpec expiry) implements DataCommand {

    /** When a SET writes. */
    public enum Condition {
        /** Always. */
        ALWAYS,
        /** Only if the key does not exist (NX). */
        IF_ABSENT,
        /** Only if the key exists (XX). */
        IF_PRESENT
    }

    /** A plain SET: always, no expiry. */
    public static Set plain(byte[] key, byte[] value) {
        return new Set(key, value, Condition.ALWAYS, false, ExpirySpec.NONE);
    }

    static Set parse(Arguments args) {
        StringOptions options = StringOptions.parse(args, 3, StringOptions.Of.SET);
        ExpirySpec time = options.time(args, "set");
        Condition condition = options.ifAbsent ? Condition.IF_ABSENT
                : options.ifPresent ? Condition.IF_PRESENT
                : Condition.ALWAYS;
        ExpirySpec expiry = time != null ? time : options.keepTtl ? ExpirySpec.KEEP : ExpirySpec.NONE;
        return new Set(args.bytes(1), args.bytes(2), condition, options.returnOld, expiry);
    }

    /** SETEX key seconds value, PSETEX key milliseconds value. */
    static Set parseSetEx(Arguments args, long unitMillis) {
        ExpirySpec expiry = ExpirySpec.parse(args, 2, unitMillis, false, args.name());
        return new Set(args.bytes(1), args.bytes(3), Condition.ALWAYS, false, expiry);
    }

    /** GETSET key value. */
    static Set parseGetSet(Arguments args) {
        return new Set(args.bytes(1), args.bytes(2), Condition.ALWAYS, true, ExpirySpec.NONE);
    }

    @Override
    public Reply apply(Keys keys) {
        if (condition == Condition.ALWAYS && !returnOld && expiry.kind() != ExpirySpec.Kind.KEEP) {
            keys.put(key, Entry.of(value, expiry.resolve(null, keys.nowMillis())));
            return Reply.OK;
        }
        Entry[] old = new Entry[1];
        boolean[] written = new boolean[1];
        long now = keys.nowMillis();
        keys.update(key, current -> {
            old[0] = current;
            boolean allowed = switch (condition) {
                case ALWAYS -> true;
                case IF_ABSENT -> current == null;
                case IF_PRESENT -> current != null;
            };
            if (!allowed) {
                return current;
            }
            written[0] = true;
            return Entry.of(value, expiry.resolve(current, now));
        });
        if (returnOld) {
            return old[0] == null ? Reply.NULL : new Reply.Bulk(old[0].value());
        }
        return written[0] ? Reply.OK : Reply.NULL;
    }

    @Override
    public List<byte[]> arguments() {
        ArgumentList list = ArgumentList.command("SET").add(key).add(value);
        if (condition == Condition.IF_ABSENT) {
            list.add("NX");
        } else if (condition == Condition.IF_PRESENT) {
            list.add("XX");
        }
        if (returnOld) {
            list.add("GET");
        }
        return (expiry.kind() == ExpirySpec.Kind.KEEP ? list.add("KEEPTTL") : list.time(expiry)).build();
    }

    @Override
    public boolean writes() {
        return true;
    }
}
