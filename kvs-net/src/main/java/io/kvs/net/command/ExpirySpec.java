package io.kvs.net.command;

import io.kvs.core.Entry;

/**
 * The expiry a write gives its key, as the request said it: none, keep the current one
 * (KEEPTTL), remove it (PERSIST), a time from now (EX, PX) or a time since the epoch (EXAT,
 * PXAT), both in milliseconds. {@link #resolve} turns it into an absolute time on the engine's
 * clock.
 */
public record ExpirySpec(Kind kind, long millis) {

    /** How the expiry is given. */
    public enum Kind {
        /** The key does not expire (a plain SET clears any expiry). */
        NONE,
        /** The key keeps the expiry it has. */
        KEEP,
        /** Any expiry is removed (GETEX PERSIST). */
        PERSIST,
        /** {@code millis} from now. */
        IN,
        /** At {@code millis} since the epoch. */
        AT
    }

    /** No expiry. */
    public static final ExpirySpec NONE = new ExpirySpec(Kind.NONE, 0);
    /** Keep the current expiry. */
    public static final ExpirySpec KEEP = new ExpirySpec(Kind.KEEP, 0);
    /** Remove the expiry. */
    public static final ExpirySpec PERSIST = new ExpirySpec(Kind.PERSIST, 0);

    /**
     * The absolute expiry for a key whose current entry is {@code current} (null if none), at
     * {@code now}: {@link Entry#NO_EXPIRY} for none.
     */
    public long resolve(Entry current, long now) {
        return switch (kind) {
            case NONE, PERSIST -> Entry.NO_EXPIRY;
            case KEEP -> current == null ? Entry.NO_EXPIRY : current.expiresAtMillis();
            case IN -> now + millis;
            // An absolute time of 0 would read as "no expiry": it has passed, so 1 ms will do.
            case AT -> Math.max(1, millis);
        };
    }

    /**
     * Parses the time after EX, PX, EXAT or PXAT ({@code unitMillis} 1000 or 1) for
     * {@code command}: a positive integer that, in milliseconds and added to now, still fits.
     *
     * @throws InvalidCommandException "value is not an integer or out of range", or "invalid
     *         expire time in '{@code command}' command"
     */
    static ExpirySpec parse(Arguments args, int i, long unitMillis, boolean absolute, String command) {
        long value = args.integer(i);
        if (value <= 0 || value > Long.MAX_VALUE / unitMillis) {
            throw invalidTime(command);
        }
        long millis = value * unitMillis;
        if (!absolute && millis > Long.MAX_VALUE - System.currentTimeMillis()) {
            throw invalidTime(command);
        }
        return new ExpirySpec(absolute ? Kind.AT : Kind.IN, millis);
    }

    static InvalidCommandException invalidTime(String command) {
        return new InvalidCommandException(Reply.err("invalid expire time in '" + command + "' command"));
    }
}
