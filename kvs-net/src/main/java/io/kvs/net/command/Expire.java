package io.kvs.net.command;

import java.util.List;

/**
 * EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT key time [NX | XX | GT | LT]: gives the key an expiry;
 * answers 1 if it did, 0 if there is no key or the condition stopped it. A time that has passed
 * removes the key (and answers 1). For GT and LT a key without expiry counts as expiring never:
 * GT never applies to it, LT always does (unless XX is given too).
 */
public record Expire(byte[] key, ExpirySpec when, Condition condition) implements DataCommand {

    /** When the expiry is set. */
    public enum Condition {
        /** Always. */
        ALWAYS,
        /** Only if the key has no expiry (NX). */
        NO_EXPIRY,
        /** Only if the key has an expiry (XX). */
        HAS_EXPIRY,
        /** Only if the new expiry is later than the current one (GT, alone or with XX). */
        LATER,
        /** Only if the new expiry is earlier than the current one, or there is none (LT). */
        EARLIER,
        /** Only if the key has an expiry and the new one is earlier (XX LT). */
        EARLIER_THAN_EXPIRY
    }

    static Expire parse(Arguments args, long unitMillis, boolean absolute) {
        String command = args.name();
        boolean nx = false;
        boolean xx = false;
        boolean gt = false;
        boolean lt = false;
        for (int i = 3; i < args.count(); i++) {
            if (args.is(i, "nx")) {
                nx = true;
            } else if (args.is(i, "xx")) {
                xx = true;
            } else if (args.is(i, "gt")) {
                gt = true;
            } else if (args.is(i, "lt")) {
                lt = true;
            } else {
                throw new InvalidCommandException(Reply.err("Unsupported option " + args.printed(i)));
            }
        }
        if (nx && (xx || gt || lt)) {
            throw new InvalidCommandException(Reply.err("NX and XX, GT or LT options at the same time are not compatible"));
        }
        if (gt && lt) {
            throw new InvalidCommandException(Reply.err("GT and LT options at the same time are not compatible"));
        }
        // As in Redis, the options are checked before the time is read.
        long value = args.integer(2);
        Condition condition = nx ? Condition.NO_EXPIRY
                : gt ? Condition.LATER
                : lt ? (xx ? Condition.EARLIER_THAN_EXPIRY : Condition.EARLIER)
                : xx ? Condition.HAS_EXPIRY
                : Condition.ALWAYS;
        if (value > Long.MAX_VALUE / unitMillis || value < Long.MIN_VALUE / unitMillis) {
            throw ExpirySpec.invalidTime(command);
        }
        long millis = value * unitMillis;
        if (!absolute && millis > Long.MAX_VALUE - System.currentTimeMillis()) {
            throw ExpirySpec.invalidTime(command);
        }
        ExpirySpec when = new ExpirySpec(absolute ? ExpirySpec.Kind.AT : ExpirySpec.Kind.IN, millis);
        return new Expire(args.bytes(1), when, condition);
    }

    @Override
    public Reply apply(Keys keys) {
        long now = keys.nowMillis();
        long at = when.kind() == ExpirySpec.Kind.IN ? now + when.millis() : when.millis();
        boolean[] applied = new boolean[1];
        keys.update(key, current -> {
            if (current == null) {
                return null;
            }
            long expiresAt = current.expiresAtMillis();
            boolean has = current.hasExpiry();
            boolean allowed = switch (condition) {
                case ALWAYS -> true;
                case NO_EXPIRY -> !has;
                case HAS_EXPIRY -> has;
                case LATER -> has && at > expiresAt;
                case EARLIER -> !has || at < expiresAt;
                case EARLIER_THAN_EXPIRY -> has && at < expiresAt;
            };
            if (!allowed) {
                return current;
            }
            applied[0] = true;
            // A time that has passed removes the key (the engine drops an entry that has expired).
            return at <= now ? null : current.withExpiry(at);
        });
        return Reply.integer(applied[0] ? 1 : 0);
    }

    @Override
    public List<byte[]> arguments() {
        ArgumentList list = ArgumentList.command(when.kind() == ExpirySpec.Kind.AT ? "PEXPIREAT" : "PEXPIRE")
                .add(key).add(when.millis());
        ArgumentList withCondition = switch (condition) {
            case ALWAYS -> list;
            case NO_EXPIRY -> list.add("NX");
            case HAS_EXPIRY -> list.add("XX");
            case LATER -> list.add("GT");
            case EARLIER -> list.add("LT");
            case EARLIER_THAN_EXPIRY -> list.add("XX").add("LT");
        };
        return withCondition.build();
    }

    @Override
    public boolean writes() {
        return true;
    }
}
