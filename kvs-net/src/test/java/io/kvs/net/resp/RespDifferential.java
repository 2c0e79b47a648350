package io.kvs.net.resp;


import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * kvs-server and a real redis-server (Debian's package, when installed) side by side: the same
 * random sequences of the string, key, expiry and transaction commands go to both, and every
 * reply must be the same bytes, as must every key's value and whether it expires, after each
 * command. Replies that may differ by design are compared loosely: SCAN and KEYS order (each
 * server's hash order), a TTL's exact value (the clocks are not the same), TIME and RANDOMKEY.
 * Left out by design: SELECT of another database, other data types, expiries of a few
 * milliseconds (which of two clocks passes them first is chance). Each failure names the seed
 * and the command, and shows the commands before it. RESP2 for even seeds, RESP3 for odd.
 * The harness of {@code RespDifferentialTest} (one server) and of the replicated group's test.
 */
public final class RespDifferential {

    private static final String[] KEYS = {"k1", "k2", "k3", "n1", ""};
    private static final String[] VALUES = {"", "1", "-5", "abc", "3.5", "10", "9223372036854775807",
            "-9223372036854775808", "1e3", " 1", "0x10", "1.0", "007", "inf", "hello world", "+5", "5.", ".5", "1e400"};
    private static final String[] INTEGERS = {"0", "1", "-1", "5", "100", "-100", "x", "1.5", "9223372036854775807",
            "-9223372036854775808", "99999999999999999999", ""};
    private static final String[] WORDS = {"", "abc", "3.5", "1e3", " 1", "inf", "hello world", ".5", "1.0"};
    private static final String[] LARGE_OR_BAD = {"0", "-1", "100000", "x", "1.5", "9223372036854775807",
            "-9223372036854775808", "99999999999999999999", ""};
    private static final String[] TIMES = {"100000", "0", "-1", "x", "", "9999999999", "99999999999999999999",
            "-9223372036854775808", "9223372036854775807", "1.5"};
    private static final String[] COMMANDS = {"GET", "SET", "SETNX", "SETEX", "PSETEX", "GETSET", "GETDEL", "GETEX",
            "MGET", "MSET", "MSETNX", "APPEND", "STRLEN", "INCR", "INCRBY", "DECR", "DECRBY", "INCRBYFLOAT", "GETRANGE",
            "SETRANGE", "DEL", "UNLINK", "EXISTS", "TOUCH", "TYPE", "EXPIRE", "PEXPIRE", "EXPIREAT", "PEXPIREAT", "TTL",
            "PTTL", "EXPIRETIME", "PEXPIRETIME", "PERSIST", "RENAME", "RENAMENX", "DBSIZE", "ECHO", "PING", "MULTI",
            "EXEC", "DISCARD", "KEYS", "SCAN", "WATCH", "UNWATCH"};

    private RespDifferential() {
    }

    /** A redis-server this test started, on a free loopback port, without persistence. */
    public static final class Redis implements AutoCloseable {
        private final Process process;
        private final int port;

        private Redis(Process process, int port) {
            this.process = process;
            this.port = port;
        }

        /**
         * Starts one and waits until it answers; skips the calling test, saying so, if Debian's
         * redis-server is not installed.
         */
        public static Redis startOrSkip() throws IOException, InterruptedException {
            Path binary = Path.of("/usr/bin/redis-server");
            assumeTrue(Files.isExecutable(binary), "redis-server is not installed (apt-get install redis-server):"
                    + " the side-by-side comparison with Redis is skipped");
            int port;
            try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = probe.getLocalPort();
            }
            Process process = new ProcessBuilder(binary.toString(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
                    "--save", "", "--appendonly", "no", "--daemonize", "no")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (true) {
                try (Resp probe = new Resp(port)) {
                    probe.call(List.of("PING"));
                    return new Redis(process, port);
                } catch (IOException e) {
                    if (System.nanoTime() > deadline) {
                        process.destroy();
                        throw new IllegalStateException("redis-server did not answer on port " + port, e);
                    }
                    Thread.sleep(50);
                }
            }
        }

        /** Its port. */
        public int port() {
            return port;
        }

        /** Stops it (SIGTERM, then up to 10 s for it to exit). */
        @Override
        public void close() {
            process.destroy();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Runs seeds {@code from} (inclusive) to {@code to} of {@code steps} commands each against
     * {@code redis} and kvs on {@code kvsPort}; fails the test at the first
     * difference. {@code kvsReadPort} is where kvs's state is read back after each command (the
     * same port, or another node of a replicated group). Without {@code watch}, a WATCH drawn is sent
     * as a PING instead (a replicated kvs-server refuses WATCH).
     */
    public static void compare(Redis redis, int kvsPort, int kvsReadPort, int from, int to, int steps, boolean watch)
            throws IOException {
        for (int seed = from; seed < to; seed++) {
            runSeed(seed, steps, redis.port(), kvsPort, kvsReadPort, watch);
        }
    }

    private static void runSeed(int seed, int steps, int redisPort, int kvsPort, int kvsReadPort, boolean watch)
            throws IOException {
        Random random = new Random(seed);
        try (Resp a = new Resp(redisPort); Resp b = new Resp(kvsPort); Resp bRead = new Resp(kvsReadPort)) {
            if (seed % 2 == 1) {
                a.call(List.of("HELLO", "3"));
                b.call(List.of("HELLO", "3"));
                bRead.call(List.of("HELLO", "3"));
            }
            a.call(List.of("FLUSHALL"));
            b.call(List.of("FLUSHALL"));
            Deque<String> recent = new ArrayDeque<>();
            boolean multi = false;
            for (int step = 0; step < steps; step++) {
                List<String> generated = generate(random);
                List<String> command = watch || !generated.get(0).equals("WATCH") ? generated : List.of("PING");
                String name = command.get(0).toUpperCase(java.util.Locale.ROOT);
                if (multi && name.equals("SCAN")) {
                    command = List.of("PING"); // a queued page's cursor and split are each server's own
                    name = "PING";
                }
                recent.addLast(String.join(" ", command));
                if (recent.size() > 10) {
                    recent.removeFirst();
                }
                Object expected = name.equals("SCAN") ? scanAll(a, command) : a.call(command);
                Object actual = name.equals("SCAN") ? scanAll(b, command) : b.call(command);
                if (!show(normalize(name, expected)).equals(show(normalize(name, actual)))) {
                    fail("seed " + seed + ", step " + step + ": " + String.join(" ", command) + "\n  redis: " + show(expected)
                            + "\n  kvs:   " + show(actual) + "\n  after: " + recent);
                }
                if (name.equals("MULTI") && "+OK".equals(show(expected))) {
                    multi = true;
                } else if (name.equals("EXEC") || name.equals("DISCARD") && "+OK".equals(show(expected))) {
                    multi = false;
                }
                if (!multi) {
                    for (String key : KEYS) {
                        String redisState = show(a.call(List.of("GET", key))) + " " + expires(a.call(List.of("PTTL", key)));
                        String kvsState = show(bRead.call(List.of("GET", key))) + " " + expires(bRead.call(List.of("PTTL", key)));
                        if (!redisState.equals(kvsState)) {
                            fail("seed " + seed + ", step " + step + ": after " + String.join(" ", command) + ", key " + key
                                    + " is " + redisState + " in redis and " + kvsState + " in kvs\n  after: " + recent);
                        }
                    }
                }
            }
        }
    }

    /**
     * {@code command}'s error, if it is refused; else a whole scan with its options, from cursor 0
     * until the cursor is 0 again: the keys it returned, sorted (how a scan splits into pages and
     * what its cursors are is each server's own).
     */
    private static Object scanAll(Resp server, List<String> command) throws IOException {
        Object first = server.call(command);
        if (first instanceof Error) {
            return first;
        }
        // Where a cursor other than 0 starts is each server's own: the whole scan starts at 0.
        List<String> args = new ArrayList<>(command);
        args.set(1, "0");
        java.util.TreeSet<String> keys = new java.util.TreeSet<>();
        for (int page = 0; page < 10_000; page++) {
            Object reply = server.call(args);
            if (!(reply instanceof List<?> parts) || parts.size() != 2 || !(parts.get(0) instanceof byte[] cursor)
                    || !(parts.get(1) instanceof List<?> found)) {
                return reply;
            }
            found.forEach(key -> keys.add(show(key)));
            String next = new String(cursor, StandardCharsets.US_ASCII);
            if (next.equals("0")) {
                return List.copyOf(keys);
            }
            args.set(1, next);
        }
        throw new IllegalStateException("a scan that does not end: " + command);
    }

    private static String expires(Object pttl) {
        String text = show(pttl);
        return text.startsWith(":-") ? text : "expires";
    }

    /** A reply with what may differ by design taken out. */
    private static Object normalize(String command, Object reply) {
        if (reply instanceof Error) {
            return reply;
        }
        switch (command) {
            case "TTL", "PTTL", "EXPIRETIME", "PEXPIRETIME" -> {
                String text = show(reply);
                return text.startsWith(":") && !text.startsWith(":-") ? ":positive" : reply;
            }
            case "RANDOMKEY" -> {
                return "random";
            }
            case "KEYS" -> {
                return reply instanceof List<?> list ? sorted(list) : reply;
            }

            default -> {
                return reply;
            }
        }
    }

    private static List<String> sorted(List<?> items) {
        return items.stream().map(RespDifferential::show).sorted().toList();
    }

    private static String show(Object reply) {
        if (reply instanceof byte[] bytes) {
            return "$" + new String(bytes, StandardCharsets.ISO_8859_1);
        }
        if (reply instanceof List<?> list) {
            return list.stream().map(RespDifferential::show).toList().toString();
        }
        return String.valueOf(reply);
    }

    // --- the commands -----------------------------------------------------------------------

    private static List<String> generate(Random r) {
        int c = r.nextInt(72);
        List<String> args = new ArrayList<>();
        switch (c) {
            case 0, 1, 2, 3, 4, 5 -> {
                args.addAll(List.of("SET", key(r), pick(r, VALUES)));
                int options = r.nextInt(4);
                for (int i = 0; i < options; i++) {
                    args.addAll(pickList(r, List.of("NX"), List.of("XX"), List.of("GET"), List.of("KEEPTTL"),
                            List.of("EX", pick(r, "100", "0", "-1", "x", "1000000000000")), List.of("PX", pick(r, "100000", "0", "x")),
                            List.of("EXAT", pick(r, "9999999999", "1", "0")), List.of("PXAT", pick(r, "99999999999999", "1")),
                            List.of("ex"), List.of("bogus")));
                }
            }
            case 6, 7 -> args.addAll(List.of("GET", key(r)));
            case 8 -> args.addAll(List.of("SETNX", key(r), pick(r, VALUES)));
            case 9 -> args.addAll(List.of("SETEX", key(r), pick(r, TIMES), pick(r, VALUES)));
            case 10 -> args.addAll(List.of("PSETEX", key(r), pick(r, "100000", "0", "-1", "x", ""), pick(r, VALUES)));
            case 11 -> args.addAll(List.of("GETSET", key(r), pick(r, VALUES)));
            case 12 -> args.addAll(List.of("GETDEL", key(r)));
            case 13 -> {
                args.addAll(List.of("GETEX", key(r)));
                args.addAll(pickList(r, List.of(), List.of("PERSIST"), List.of("EX", pick(r, TIMES)),
                        List.of("PX", pick(r, TIMES)), List.of("EXAT", pick(r, TIMES)), List.of("PXAT", pick(r, TIMES)),
                        List.of("EX"), List.of("PERSIST", "EX", "10"), List.of("PERSIST", "PERSIST"),
                        List.of("EX", "100", "EX", "200"), List.of("foo")));
            }
            case 14 -> {
                args.add("MGET");
                repeat(r, 0, 3, () -> args.add(key(r)));
            }
            case 15 -> {
                args.add("MSET");
                repeat(r, 0, 2, () -> args.addAll(List.of(key(r), pick(r, VALUES))));
                if (r.nextInt(5) == 0) {
                    args.add(key(r));
                }
            }
            case 16 -> {
                args.add("MSETNX");
                repeat(r, 1, 2, () -> args.addAll(List.of(key(r), pick(r, VALUES))));
            }
            case 17 -> args.addAll(List.of("APPEND", key(r), pick(r, VALUES)));
            case 18 -> args.addAll(List.of("STRLEN", key(r)));
            case 19, 20 -> args.addAll(List.of("INCR", key(r)));
            case 21 -> args.addAll(List.of("DECR", key(r)));
            case 22 -> args.addAll(List.of("INCRBY", key(r), pick(r, INTEGERS)));
            case 23 -> args.addAll(List.of("DECRBY", key(r), pick(r, INTEGERS)));
            case 24 -> args.addAll(List.of("INCRBYFLOAT", key(r), pick(r, "1.5", "-2", "0", "x", "1e3", "inf", "3.0e-2",
                    "10", ".1", "5.0000", "1e308", "0x1p3")));
            case 25 -> args.addAll(List.of("GETRANGE", key(r), pick(r, INTEGERS), pick(r, INTEGERS)));
            case 26 -> args.addAll(List.of("SETRANGE", key(r), pick(r, "0", "1", "3", "-1", "x", "10", "536870912",
                    "9223372036854775807"), pick(r, VALUES)));
            case 27, 28 -> {
                args.add("DEL");
                repeat(r, 0, 3, () -> args.add(key(r)));
            }
            case 29 -> {
                args.add("UNLINK");
                repeat(r, 1, 3, () -> args.add(key(r)));
            }
            case 30 -> {
                args.add("EXISTS");
                repeat(r, 0, 3, () -> args.add(key(r)));
            }
            case 31 -> {
                args.add("TOUCH");
                repeat(r, 1, 3, () -> args.add(key(r)));
            }
            case 32 -> args.addAll(List.of("TYPE", key(r)));
            case 33, 34, 35, 36 -> {
                String command = pick(r, "EXPIRE", "PEXPIRE", "EXPIREAT", "PEXPIREAT");
                String time = switch (command) {
                    case "EXPIRE" -> pick(r, "100", "200", "0", "-1", "x", "50");
                    case "PEXPIRE" -> pick(r, "100000", "200000", "x", "50000");
                    case "EXPIREAT" -> pick(r, "9999999999", "9999999998", "1");
                    default -> pick(r, "99999999999999", "1");
                };
                args.addAll(List.of(command, key(r), time));
                args.addAll(pickList(r, List.of(), List.of("NX"), List.of("XX"), List.of("GT"), List.of("LT"),
                        List.of("NX", "XX"), List.of("GT", "LT"), List.of("NX", "GT"), List.of("XX", "GT"), List.of("foo")));
            }
            case 37, 38, 39, 40 -> args.addAll(List.of(pick(r, "TTL", "PTTL", "EXPIRETIME", "PEXPIRETIME"), key(r)));
            case 41 -> args.addAll(List.of("PERSIST", key(r)));
            case 42 -> args.addAll(List.of("RENAME", key(r), key(r)));
            case 43 -> args.addAll(List.of("RENAMENX", key(r), key(r)));
            case 44 -> args.add("DBSIZE");
            case 45 -> args.addAll(List.of("KEYS", pick(r, "*", "**", "", "k*", "k[12]", "?1", "n*", "[", "\\", "k[^1]*", "k[3-1]", "[a-]*", "*\\1")));
            case 46 -> args.addAll(List.of("ECHO", pick(r, VALUES)));
            case 47 -> {
                args.add("PING");
                if (r.nextBoolean()) {
                    args.add(pick(r, VALUES));
                }
            }
            case 48 -> args.addAll(List.of("SELECT", pick(r, "0", "x")));
            case 49 -> args.add(pick(r, "MULTI", "EXEC", "DISCARD", "MULTI", "EXEC", "UNWATCH"));
            case 53, 54 -> {
                args.add("WATCH");
                repeat(r, 1, 2, () -> args.add(key(r)));
            }
            case 50 -> args.add(r.nextInt(5) == 0 ? "FLUSHDB" : "PING");
            case 51 -> args.addAll(List.of(pick(r, "FOO", "get", "Set"), key(r), pick(r, VALUES)));
            case 52 -> args.addAll(List.of("SCAN", "0", pick(r, "COUNT", "MATCH", "TYPE", "FOO"),
                    pick(r, "0", "-1", "x", "100", "string", "k*")));
            default -> {
                // Any command with any arguments: arity, syntax and number errors. No small
                // numbers: as a time they would expire a key while the two servers are compared.
                args.add(pick(r, COMMANDS));
                repeat(r, 0, 4, () -> args.add(r.nextInt(3) == 0 ? key(r) : pick(r, r.nextBoolean() ? WORDS : LARGE_OR_BAD)));
            }
        }
        return args;
    }

    private static String key(Random r) {
        return pick(r, KEYS);
    }

    private static String pick(Random r, String... choices) {
        return choices[r.nextInt(choices.length)];
    }

    @SafeVarargs
    private static List<String> pickList(Random r, List<String>... choices) {
        return choices[r.nextInt(choices.length)];
    }

    private static void repeat(Random r, int min, int max, Runnable action) {
        int times = min + r.nextInt(max - min + 1);
        for (int i = 0; i < times; i++) {
            action.run();
        }
    }

    // --- a RESP client that keeps every reply's type ------------------------------------------

    /** An error reply: its line. */
    private record Error(String line) {
        @Override
        public String toString() {
            return "-" + line;
        }
    }

    /** A simple reply of any other one-line type (status, integer, null, double, boolean, big number): its line. */
    private record Line(String line) {
        @Override
        public String toString() {
            return line;
        }
    }

    /** One connection; replies are byte[] (strings), List (arrays, sets, maps, pushes), Error or Line. */
    private static final class Resp implements AutoCloseable {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;

        Resp(int port) throws IOException {
            socket = new Socket(InetAddress.getLoopbackAddress(), port);
            socket.setSoTimeout(10_000);
            in = new BufferedInputStream(socket.getInputStream());
            out = socket.getOutputStream();
        }

        Object call(List<String> args) throws IOException {
            ByteArrayOutputStream request = new ByteArrayOutputStream();
            request.writeBytes(("*" + args.size() + "\r\n").getBytes(StandardCharsets.US_ASCII));
            for (String arg : args) {
                byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
                request.writeBytes(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
                request.writeBytes(bytes);
                request.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.write(request.toByteArray());
            out.flush();
            return read();
        }

        private Object read() throws IOException {
            String line = line();
            char type = line.charAt(0);
            switch (type) {
                case '-', '!' -> {
                    return new Error(type == '!' ? new String(bulk(Integer.parseInt(line.substring(1))), StandardCharsets.UTF_8)
                            : line.substring(1));
                }
                case '$', '=' -> {
                    int length = Integer.parseInt(line.substring(1));
                    return length < 0 ? new Line("$-1") : bulk(length);
                }
                case '*', '~', '>', '%' -> {
                    int count = Integer.parseInt(line.substring(1));
                    if (count < 0) {
                        return new Line("*-1");
                    }
                    List<Object> items = new ArrayList<>();
                    for (int i = 0; i < (type == '%' ? 2 * count : count); i++) {
                        items.add(read());
                    }
                    return type == '*' ? items : List.of(new Line(String.valueOf(type)), items);
                }
                default -> {
                    return new Line(line);
                }
            }
        }

        private byte[] bulk(int length) throws IOException {
            byte[] bytes = in.readNBytes(length + 2);
            if (bytes.length < length + 2) {
                throw new EOFException("connection closed in a bulk string");
            }
            return Arrays.copyOf(bytes, length);
        }

        private String line() throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int previous = -1;
            while (true) {
                int b = in.read();
                if (b < 0) {
                    throw new EOFException("connection closed");
                }
                if (previous == '\r' && b == '\n') {
                    byte[] bytes = line.toByteArray();
                    return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
                }
                line.write(b);
                previous = b;
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
