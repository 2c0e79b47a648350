package io.kvs.net.command;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Every command kvs speaks, by its Redis name: arity, flags, key positions and documentation
 * (COMMAND INFO, COMMAND DOCS), and the parser that turns a request's {@link Arguments} into a
 * {@link Command}. {@link #parse} checks, in Redis's order, that the command exists, that a
 * container's subcommand exists and that the argument count fits, with Redis's error strings.
 */
public final class CommandTable {

    /** The longest part of a request echoed in the "unknown command" error, as in Redis. */
    private static final int ECHO_LIMIT = 128;

    /**
     * One command: {@code arity} is Redis's (n: exactly n arguments with the name; -n: at least
     * n), {@code firstKey}, {@code lastKey} and {@code step} its key positions (0 for none),
     * {@code subcommands} non-empty for a container such as CLIENT.
     */
    public record Spec(String name, int arity, List<String> flags, int firstKey, int lastKey, int step, String group,
                       String summary, String since, Function<Arguments, Command> parser, Map<String, Spec> subcommands) {

        /** True if {@code count} arguments (the name included) fit the arity. */
        boolean fits(int count) {
            return arity >= 0 ? count == arity : count >= -arity;
        }
    }

    private static final Map<String, Spec> COMMANDS = new LinkedHashMap<>();

    static {
        // Strings.
        data("get", 2, "readonly fast", 1, 1, 1, "string", "Returns the string value of a key.", "1.0.0", Get::parse);
        data("set", -3, "write denyoom", 1, 1, 1, "string", "Sets the string value of a key, ignoring its type. The key is created if it doesn't exist.", "1.0.0", Set::parse);
        data("setnx", 3, "write denyoom fast", 1, 1, 1, "string", "Set the string value of a key only when the key doesn't exist.", "1.0.0", SetIfAbsent::parse);
        data("setex", 4, "write denyoom", 1, 1, 1, "string", "Sets the string value and expiration time of a key. Creates the key if it doesn't exist.", "2.0.0", a -> Set.parseSetEx(a, 1000));
        data("psetex", 4, "write denyoom", 1, 1, 1, "string", "Sets both string value and expiration time in milliseconds of a key. The key is created if it doesn't exist.", "2.6.0", a -> Set.parseSetEx(a, 1));
        data("getset", 3, "write denyoom fast", 1, 1, 1, "string", "Returns the previous string value of a key after setting it to a new value.", "1.0.0", Set::parseGetSet);
        data("getdel", 2, "write fast", 1, 1, 1, "string", "Returns the string value of a key after deleting the key.", "6.2.0", GetDel::parse);
        data("getex", -2, "write fast", 1, 1, 1, "string", "Returns the string value of a key after setting its expiration time.", "6.2.0", GetEx::parse);
        data("mget", -2, "readonly fast", 1, -1, 1, "string", "Atomically returns the string values of one or more keys.", "1.0.0", MultiGet::parse);
        data("mset", -3, "write denyoom", 1, -1, 2, "string", "Atomically creates or modifies the string values of one or more keys.", "1.0.1", a -> MultiSet.parse(a, false));
        data("msetnx", -3, "write denyoom", 1, -1, 2, "string", "Atomically modifies the string values of one or more keys only when all keys don't exist.", "1.0.1", a -> MultiSet.parse(a, true));
        data("append", 3, "write denyoom fast", 1, 1, 1, "string", "Appends a string to the value of a key. Creates the key if it doesn't exist.", "2.0.0", Append::parse);
        data("strlen", 2, "readonly fast", 1, 1, 1, "string", "Returns the length of a string value.", "2.2.0", StrLen::parse);
        data("incr", 2, "write denyoom fast", 1, 1, 1, "string", "Increments the integer value of a key by one. Uses 0 as initial value if the key doesn't exist.", "1.0.0", a -> IncrBy.parse(a, 1, false));
        data("incrby", 3, "write denyoom fast", 1, 1, 1, "string", "Increments the integer value of a key by a number. Uses 0 as initial value if the key doesn't exist.", "1.0.0", a -> IncrBy.parse(a, 1, true));
        data("decr", 2, "write denyoom fast", 1, 1, 1, "string", "Decrements the integer value of a key by one. Uses 0 as initial value if the key doesn't exist.", "1.0.0", a -> IncrBy.parse(a, -1, false));
        data("decrby", 3, "write denyoom fast", 1, 1, 1, "string", "Decrements a number from the integer value of a key. Uses 0 as initial value if the key doesn't exist.", "1.0.0", a -> IncrBy.parse(a, -1, true));
        data("incrbyfloat", 3, "write denyoom fast", 1, 1, 1, "string", "Increment the floating point value of a key by a number. Uses 0 as initial value if the key doesn't exist.", "2.6.0", IncrByFloat::parse);
        data("getrange", 4, "readonly", 1, 1, 1, "string", "Returns a substring of the string stored at a key.", "2.4.0", GetRange::parse);
        data("substr", 4, "readonly", 1, 1, 1, "string", "Returns a substring from a string value.", "1.0.0", GetRange::parse);
        data("setrange", 4, "write denyoom", 1, 1, 1, "string", "Overwrites a part of a string value with another by an offset. Creates the key if it doesn't exist.", "2.2.0", SetRange::parse);
        // Keys.
        data("del", -2, "write", 1, -1, 1, "generic", "Deletes one or more keys.", "1.0.0", Del::parse);
        data("unlink", -2, "write fast", 1, -1, 1, "generic", "Asynchronously deletes one or more keys.", "4.0.0", Del::parse);
        data("exists", -2, "readonly fast", 1, -1, 1, "generic", "Determines whether one or more keys exist.", "1.0.0", Exists::parse);
        data("touch", -2, "readonly fast", 1, -1, 1, "generic", "Returns the number of existing keys out of those specified after updating the time they were last accessed.", "3.2.1", Exists::parse);
        data("type", 2, "readonly fast", 1, 1, 1, "generic", "Determines the type of value stored at a key.", "1.0.0", Type::parse);
        data("expire", -3, "write fast", 1, 1, 1, "generic", "Sets the expiration time of a key in seconds.", "1.0.0", a -> Expire.parse(a, 1000, false));
        data("pexpire", -3, "write fast", 1, 1, 1, "generic", "Sets the expiration time of a key in milliseconds.", "2.6.0", a -> Expire.parse(a, 1, false));
        data("expireat", -3, "write fast", 1, 1, 1, "generic", "Sets the expiration time of a key to a Unix timestamp.", "1.2.0", a -> Expire.parse(a, 1000, true));
        data("pexpireat", -3, "write fast", 1, 1, 1, "generic", "Sets the expiration time of a key to a Unix milliseconds timestamp.", "2.6.0", a -> Expire.parse(a, 1, true));
        data("ttl", 2, "readonly fast", 1, 1, 1, "generic", "Returns the expiration time in seconds of a key.", "1.0.0", a -> TimeToLive.parse(a, true, false));
        data("pttl", 2, "readonly fast", 1, 1, 1, "generic", "Returns the expiration time in milliseconds of a key.", "2.6.0", a -> TimeToLive.parse(a, false, false));
        data("expiretime", 2, "readonly fast", 1, 1, 1, "generic", "Returns the expiration time of a key as a Unix timestamp.", "7.0.0", a -> TimeToLive.parse(a, true, true));
        data("pexpiretime", 2, "readonly fast", 1, 1, 1, "generic", "Returns the expiration time of a key as a Unix milliseconds timestamp.", "7.0.0", a -> TimeToLive.parse(a, false, true));
        data("persist", 2, "write fast", 1, 1, 1, "generic", "Removes the expiration time of a key.", "2.2.0", Persist::parse);
        data("rename", 3, "write", 1, 2, 1, "generic", "Renames a key and overwrites the destination.", "1.0.0", a -> Rename.parse(a, false));
        data("renamenx", 3, "write fast", 1, 2, 1, "generic", "Renames a key only when the target key name doesn't exist.", "1.0.0", a -> Rename.parse(a, true));
        data("scan", -2, "readonly", 0, 0, 0, "generic", "Iterates over the key names in the database.", "2.8.0", Scan::parse);
        data("keys", 2, "readonly", 0, 0, 0, "generic", "Returns all key names that match a pattern.", "1.0.0", KeysMatching::parse);
        data("randomkey", 1, "readonly", 0, 0, 0, "generic", "Returns a random key name from the database.", "1.0.0", RandomKey::parse);
        data("dbsize", 1, "readonly fast", 0, 0, 0, "server", "Returns the number of keys in the database.", "1.0.0", DbSize::parse);
        data("flushdb", -1, "write", 0, 0, 0, "server", "Removes all keys from the current database.", "1.0.0", FlushDb::parse);
        data("flushall", -1, "write", 0, 0, 0, "server", "Removes all keys from all databases.", "1.0.0", FlushDb::parse);
        // Connection and server.
        add("ping", -1, "fast", "connection", "Returns the server's liveliness response.", "1.0.0", Ping::parse);
        add("echo", 2, "loading stale fast", "connection", "Returns the given string.", "1.0.0", Echo::parse);
        add("hello", -1, "noscript loading stale fast no_auth allow_busy", "connection", "Handshakes with the Redis server.", "6.0.0", Hello::parse);
        add("auth", -2, "noscript loading stale fast no_auth allow_busy", "connection", "Authenticates the connection.", "1.0.0", Auth::parse);
        add("select", 2, "loading stale fast", "connection", "Changes the selected database.", "1.0.0", Select::parse);
        add("quit", -1, "allow_busy noscript loading stale fast no_auth", "connection", "Closes the connection.", "1.0.0", Quit::parse);
        add("reset", 1, "noscript loading stale fast no_auth allow_busy", "connection", "Resets the connection.", "6.2.0", Reset::parse);
        add("time", 1, "loading stale fast", "server", "Returns the server time.", "2.6.0", Time::parse);
        add("info", -1, "loading stale", "server", "Returns information and statistics about the server.", "1.0.0", Info::parse);
        add("multi", 1, "noscript loading stale fast allow_busy", "transactions", "Starts a transaction.", "1.2.0", Multi::parse);
        add("exec", 1, "noscript loading stale skip_slowlog", "transactions", "Executes all commands in a transaction.", "1.2.0", Exec::parse);
        add("discard", 1, "noscript loading stale fast allow_busy", "transactions", "Discards a transaction.", "2.0.0", Discard::parse);
        put(new Spec("watch", -2, List.of("noscript", "loading", "stale", "fast", "allow_busy"), 1, -1, 1, "transactions",
                "Monitors changes to keys to determine the execution of a transaction.", "2.2.0", Watch::parse, Map.of()));
        add("unwatch", 1, "noscript loading stale fast allow_busy", "transactions", "Forgets about watched keys of a transaction.", "2.2.0", Unwatch::parse);
        container("client", "connection", "A container for client connection commands.", "2.4.0",
                sub("client", "setname", 3, "noscript loading stale", "Sets the connection name.", "2.6.9", a -> ClientCommand.parse(a, ClientCommand.Sub.SETNAME)),
                sub("client", "getname", 2, "noscript loading stale", "Returns the name of the connection.", "2.6.9", a -> ClientCommand.parse(a, ClientCommand.Sub.GETNAME)),
                sub("client", "id", 2, "noscript loading stale", "Returns the unique client ID of the connection.", "5.0.0", a -> ClientCommand.parse(a, ClientCommand.Sub.ID)),
                sub("client", "info", 2, "noscript loading stale", "Returns information about the connection.", "6.2.0", a -> ClientCommand.parse(a, ClientCommand.Sub.INFO)),
                sub("client", "list", -2, "admin noscript loading stale", "Lists open connections.", "2.4.0", a -> ClientCommand.parse(a, ClientCommand.Sub.LIST)),
                sub("client", "setinfo", 4, "noscript loading stale", "Sets information specific to the client or connection.", "7.2.0", a -> ClientCommand.parse(a, ClientCommand.Sub.SETINFO)),
                sub("client", "kill", -3, "admin noscript loading stale", "Terminates open connections.", "2.4.0", a -> ClientCommand.parse(a, ClientCommand.Sub.KILL)));
        container("command", "server", "Returns detailed information about all commands.", "2.8.13",
                sub("command", "count", 2, "loading stale", "Returns a count of commands.", "2.8.13", a -> CommandIntrospection.parse(a, CommandIntrospection.Sub.COUNT)),
                sub("command", "info", -2, "loading stale", "Returns information about one, multiple or all commands.", "2.8.13", a -> CommandIntrospection.parse(a, CommandIntrospection.Sub.INFO)),
                sub("command", "docs", -2, "loading stale", "Returns documentary information about one, multiple or all commands.", "7.0.0", a -> CommandIntrospection.parse(a, CommandIntrospection.Sub.DOCS)),
                sub("command", "list", -2, "loading stale", "Returns a list of command names.", "7.0.0", a -> CommandIntrospection.parse(a, CommandIntrospection.Sub.LIST)));
        container("config", "server", "A container for server configuration commands.", "2.0.0",
                sub("config", "get", -3, "admin noscript loading stale", "Returns the effective values of configuration parameters.", "2.0.0", ConfigGet::parse));
    }

    /** Every name in lower and in upper case, for {@link #exact}: the names' bytes and their commands, by slot. */
    private static final byte[][] EXACT_NAMES;
    private static final Spec[] EXACT_SLOTS;
    private static final int LONGEST_NAME;

    static {
        int longest = 0;
        int slots = Integer.highestOneBit(Math.max(1, COMMANDS.size() * 2)) * 4;
        byte[][] names = new byte[slots][];
        Spec[] specs = new Spec[slots];
        for (Spec spec : COMMANDS.values()) {
            for (String spelling : new String[]{spec.name(), spec.name().toUpperCase(Locale.ROOT)}) {
                byte[] bytes = spelling.getBytes(StandardCharsets.ISO_8859_1);
                int slot = hash(bytes) & (slots - 1);
                while (specs[slot] != null) {
                    slot = (slot + 1) & (slots - 1);
                }
                names[slot] = bytes;
                specs[slot] = spec;
            }
            longest = Math.max(longest, spec.name().length());
        }
        EXACT_NAMES = names;
        EXACT_SLOTS = specs;
        LONGEST_NAME = longest;
    }

    private CommandTable() {
    }

    private static void data(String name, int arity, String flags, int first, int last, int step, String group, String summary,
                             String since, Function<Arguments, ? extends Command> parser) {
        put(new Spec(name, arity, List.of(flags.split(" ")), first, last, step, group, summary, since, parser::apply, Map.of()));
    }

    private static void add(String name, int arity, String flags, String group, String summary, String since,
                            Function<Arguments, ? extends Command> parser) {
        put(new Spec(name, arity, List.of(flags.split(" ")), 0, 0, 0, group, summary, since, parser::apply, Map.of()));
    }

    private static Spec sub(String container, String name, int arity, String flags, String summary, String since,
                            Function<Arguments, ? extends Command> parser) {
        return new Spec(container + "|" + name, arity, List.of(flags.split(" ")), 0, 0, 0, null, summary, since, parser::apply, Map.of());
    }

    private static void container(String name, String group, String summary, String since, Spec... subcommands) {
        Map<String, Spec> subs = new LinkedHashMap<>();
        for (Spec sub : subcommands) {
            subs.put(sub.name().substring(name.length() + 1), new Spec(sub.name(), sub.arity(), sub.flags(), 0, 0, 0, group,
                    sub.summary(), sub.since(), sub.parser(), Map.of()));
        }
        Function<Arguments, Command> parser = name.equals("command")
                ? a -> CommandIntrospection.parse(a, CommandIntrospection.Sub.ALL) : null;
        put(new Spec(name, name.equals("command") ? -1 : -2, List.of("loading", "stale"), 0, 0, 0, group, summary, since, parser,
                Collections.unmodifiableMap(subs)));
    }

    private static void put(Spec spec) {
        COMMANDS.put(spec.name(), spec);
    }

    /** Every top-level command, in table order. */
    public static Collection<Spec> all() {
        return Collections.unmodifiableCollection(COMMANDS.values());
    }

    /** The command or subcommand named {@code name} ({@code get}, {@code client|setname}), ignoring case; null if none. */
    public static Spec find(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        int bar = lower.indexOf('|');
        if (bar < 0) {
            return COMMANDS.get(lower);
        }
        Spec container = COMMANDS.get(lower.substring(0, bar));
        return container == null ? null : container.subcommands().get(lower.substring(bar + 1));
    }

    /** Parses a request: the command, or a {@link Rejected} one carrying Redis's error. */
    public static Command parse(Arguments args) {
        Spec spec = lookup(args);
        if (spec == null) {
            return new Rejected(unknownCommand(args), true);
        }
        if (!spec.subcommands().isEmpty() && args.count() >= 2) {
            Spec sub = spec.subcommands().get(lower(args.bytes(1)));
            if (sub == null) {
                return new Rejected(Reply.err("unknown subcommand '" + echo(args.printed(1), ECHO_LIMIT) + "'. Try "
                        + args.name().toUpperCase(Locale.ROOT) + " HELP."), true);
            }
            spec = sub;
        }
        if (!spec.fits(args.count()) || spec.parser() == null) {
            return new Rejected(wrongArity(spec.name()).error(), true, spec.name().equals("exec"));
        }
        try {
            return spec.parser().apply(args);
        } catch (InvalidCommandException e) {
            return new Rejected(e.error(), false);
        }
    }

    /**
     * The command named by {@code args}, ignoring case. Clients send names in upper or lower
     * case, which are found without lowering the name; only mixed case pays for that.
     */
    private static Spec lookup(Arguments args) {
        byte[] name = args.bytes(0);
        if (name.length <= LONGEST_NAME) {
            Spec spec = exact(name);
            if (spec != null) {
                args.knownName(spec.name());
                return spec;
            }
        }
        return COMMANDS.get(args.name());
    }

    /**
     * The command spelled exactly {@code name} (all lower or all upper case), found without
     * making a String of it: an open-addressing table over the names' bytes.
     */
    private static Spec exact(byte[] name) {
        int mask = EXACT_SLOTS.length - 1;
        for (int slot = hash(name) & mask; EXACT_SLOTS[slot] != null; slot = (slot + 1) & mask) {
            if (java.util.Arrays.equals(EXACT_NAMES[slot], name)) {
                return EXACT_SLOTS[slot];
            }
        }
        return null;
    }

    private static int hash(byte[] name) {
        int hash = name.length;
        for (byte b : name) {
            hash = hash * 31 + b;
        }
        return hash ^ (hash >>> 16);
    }

    /** The error for a wrong argument count of the command or subcommand {@code fullName}. */
    static InvalidCommandException wrongArity(String fullName) {
        return new InvalidCommandException(Reply.err("wrong number of arguments for '" + fullName + "' command"));
    }

    private static Reply.Error unknownCommand(Arguments args) {
        StringBuilder echoed = new StringBuilder();
        for (int i = 1; i < args.count() && echoed.length() < ECHO_LIMIT; i++) {
            echoed.append('\'').append(echo(args.printed(i), ECHO_LIMIT - echoed.length())).append("' ");
        }
        return Reply.err("unknown command '" + echo(args.printed(0), ECHO_LIMIT) + "', with args beginning with: " + echoed);
    }

    /** {@code text} cut to {@code limit} chars, line breaks turned into spaces (an error is one line). */
    private static String echo(String text, int limit) {
        String cut = text.length() > limit ? text.substring(0, limit) : text;
        return cut.replace('\r', ' ').replace('\n', ' ');
    }

    private static String lower(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
    }
}
