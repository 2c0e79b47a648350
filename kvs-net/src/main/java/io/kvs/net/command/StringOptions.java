package io.kvs.net.command;

/**
 * The options of SET and GETEX, read as Redis reads them ({@code parseExtendedStringArgumentsOrReply}):
 * every option is checked for syntax before any number is read, an option may repeat (the last
 * time given wins), and an option that conflicts with one already given is a syntax error. SET
 * takes NX, XX, GET, KEEPTTL and one of EX, PX, EXAT, PXAT; GETEX takes PERSIST or one of EX, PX,
 * EXAT, PXAT. The time itself is read afterwards by {@link #time}, so that
 * {@code SET k v EX 10 PX} is a syntax error, not a bad number.
 */
final class StringOptions {

    /** Which command's options these are. */
    enum Of {
        SET,
        GETEX
    }

    private static final String[] TIME_OPTIONS = {"ex", "px", "exat", "pxat"};

    /** NX (SET). */
    boolean ifAbsent;
    /** XX (SET). */
    boolean ifPresent;
    /** GET (SET). */
    boolean returnOld;
    /** KEEPTTL (SET). */
    boolean keepTtl;
    /** PERSIST (GETEX). */
    boolean persist;
    /** The time option given (ex, px, exat, pxat), or null. */
    private String timeOption;
    /** Index of the time's argument, or -1. */
    private int timeIndex = -1;

    private StringOptions() {
    }

    /**
     * Reads the options from argument {@code first} on.
     *
     * @throws InvalidCommandException "syntax error" for an unknown, conflicting or incomplete option
     */
    static StringOptions parse(Arguments args, int first, Of command) {
        StringOptions o = new StringOptions();
        boolean set = command == Of.SET;
        for (int i = first; i < args.count(); i++) {
            boolean hasNext = i + 1 < args.count();
            if (set && args.is(i, "nx") && !o.ifPresent) {
                o.ifAbsent = true;
            } else if (set && args.is(i, "xx") && !o.ifAbsent) {
                o.ifPresent = true;
            } else if (set && args.is(i, "get")) {
                o.returnOld = true;
            } else if (set && args.is(i, "keepttl") && o.timeOption == null) {
                o.keepTtl = true;
            } else if (!set && args.is(i, "persist") && o.timeOption == null) {
                o.persist = true;
            } else if (hasNext && !o.keepTtl && !o.persist && o.timeCompatible(args, i)) {
                o.timeOption = lower(args, i);
                o.timeIndex = ++i;
            } else {
                throw InvalidCommandException.syntax();
            }
        }
        return o;
    }

    /**
     * True if argument {@code i} is a time option that may follow the one given so far: the same
     * one again, or the first.
     */
    private boolean timeCompatible(Arguments args, int i) {
        for (String option : TIME_OPTIONS) {
            if (args.is(i, option)) {
                return timeOption == null || timeOption.equals(option);
            }
        }
        return false;
    }

    private static String lower(Arguments args, int i) {
        return args.text(i).toLowerCase(java.util.Locale.ROOT);
    }

    /** True if a time option was given. */
    boolean hasTime() {
        return timeOption != null;
    }

    /**
     * The expiry the time option gives (see {@link ExpirySpec#parse}), or null if none was given.
     *
     * @throws InvalidCommandException "value is not an integer or out of range", or "invalid
     *         expire time in '{@code command}' command"
     */
    ExpirySpec time(Arguments args, String command) {
        if (timeOption == null) {
            return null;
        }
        boolean seconds = timeOption.equals("ex") || timeOption.equals("exat");
        boolean absolute = timeOption.equals("exat") || timeOption.equals("pxat");
        return ExpirySpec.parse(args, timeIndex, seconds ? 1000 : 1, absolute, command);
    }
}
