package io.kvs.cli;

import io.kvs.core.KvStoreOptions;
import io.kvs.core.MixedWorkload;
import io.kvs.core.log.KvStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The launchers {@code bin/kvs-server} and {@code bin/kvs-client} as real processes, against
 * every case of the command-line contract in SPEC.md. Runs after packaging (failsafe), because
 * the launchers run the packaged jars.
 */
class CliTest {

    private static final Path ROOT = Path.of(System.getProperty("kvs.repository.root", "..")).toAbsolutePath().normalize();
    private static final Path SERVER = ROOT.resolve("bin/kvs-server");
    private static final Path CLIENT = ROOT.resolve("bin/kvs-client");
    private static final Pattern LISTENING = Pattern.compile("listening on (\\S+) \\(engine (\\w+)");
    private static final long TIMEOUT_SECONDS = 60;

    @TempDir
    Path work;
    private final List<Process> servers = new ArrayList<>();

    @AfterEach
    void killServers() throws InterruptedException {
        for (Process server : servers) {
            server.destroyForcibly();
            server.waitFor(30, TimeUnit.SECONDS);
        }
    }

    record Result(int exit, String out, String err) {
        void assertNoStackTrace() {
            assertFalse(err.contains("\tat ") || err.contains("Exception"), "stack trace on stderr:\n" + err);
        }
    }

    /** A running server: its process, the address it listens on, its stderr file. */
    record Server(Process process, String address, String engine, Path stderr) {
    }

    private Result run(Path cwd, Path program, String... args) throws IOException, InterruptedException {
        return run(cwd, null, program, args);
    }

    /** Runs {@code program} in {@code cwd}, its standard input read from {@code stdin} (null: none). */
    private Result run(Path cwd, Path stdin, Path program, String... args) throws IOException, InterruptedException {
        return run(cwd, stdin, Map.of(), program, args);
    }

    /** Runs {@code program} in the work directory with {@code environment} added to its environment. */
    private Result runWithEnvironment(Map<String, String> environment, Path program, String... args)
            throws IOException, InterruptedException {
        return run(work, null, environment, program, args);
    }

    /** Runs {@code program} in {@code cwd}, standard input from {@code stdin} (null: none), {@code environment} added. */
    private Result run(Path cwd, Path stdin, Map<String, String> environment, Path program, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(program.toString());
        command.addAll(List.of(args));
        Path out = Files.createTempFile(work, "out", ".txt");
        Path err = Files.createTempFile(work, "err", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command).directory(cwd.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().putAll(environment);
        if (stdin != null) {
            builder.redirectInput(stdin.toFile());
        }
        Process process = builder.start();
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail(command + " did not finish within " + TIMEOUT_SECONDS + " s");
        }
        return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    private Result client(String... args) throws IOException, InterruptedException {
        return run(work, CLIENT, args);
    }

    /** Runs bin/kvs-client with its standard input read from {@code stdin}. */
    private Result clientWithInput(Path stdin, String... args) throws IOException, InterruptedException {
        return run(work, stdin, CLIENT, args);
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    private Server startServer(Path dataDir, String... args) throws IOException, InterruptedException {
        List<String> withAddress = new ArrayList<>(List.of("--addr", "127.0.0.1:0"));
        withAddress.addAll(List.of(args));
        return launchServer(dataDir, Map.of(), withAddress.toArray(new String[0]));
    }

    /** Starts bin/kvs-server in {@code dataDir} with exactly {@code args} and extra environment; waits for its start line. */
    private Server launchServer(Path dataDir, Map<String, String> environment, String... args) throws IOException, InterruptedException {
        Files.createDirectories(dataDir);
        List<String> command = new ArrayList<>(List.of(SERVER.toString()));
        command.addAll(List.of(args));
        Path err = Files.createTempFile(work, "server", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command).directory(dataDir.toFile())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(err.toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        servers.add(process);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (System.nanoTime() < deadline) {
            Matcher matcher = LISTENING.matcher(Files.readString(err, StandardCharsets.UTF_8));
            if (matcher.find()) {
                return new Server(process, matcher.group(1), matcher.group(2), err);
            }
            if (!process.isAlive()) {
                fail("server exited with " + process.exitValue() + ":\n" + Files.readString(err));
            }
            Thread.sleep(20);
        }
        fail("server did not start:\n" + Files.readString(err));
        return null;
    }

    private static int stop(Server server) throws InterruptedException {
        server.process().destroy(); // SIGTERM
        assertTrue(server.process().waitFor(10, TimeUnit.SECONDS), "server did not stop within 10 s of SIGTERM");
        return server.process().exitValue();
    }

    private static String version() {
        return System.getProperty("kvs.version", "0.1.0-SNAPSHOT");
    }

    @Test
    void bothProgramsPrintTheirVersion() throws Exception {
        for (String flag : new String[]{"-V", "--version"}) {
            Result server = run(work, SERVER, flag);
            assertEquals(0, server.exit(), server.err());
            assertEquals("kvs-server " + version() + "\n", server.out());
            Result client = client(flag);
            assertEquals(0, client.exit(), client.err());
            assertEquals("kvs-client " + version() + "\n", client.out());
        }
    }

    @Test
    void bothProgramsPrintHelp() throws Exception {
        Result server = run(work, SERVER, "--help");
        assertEquals(0, server.exit());
        assertTrue(server.out().contains("--engine") && server.out().contains("--data-dir"), server.out());
        Result client = client("-h");
        assertEquals(0, client.exit());
        assertTrue(client.out().contains("set KEY VALUE") && client.out().contains("--addr"), client.out());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "frobnicate", "set key", "set", "get", "get a b", "rm", "rm a b",
            "get key --bogus", "--bogus get key", "get key --addr nonsense", "get key --addr 127.0.0.1:99999",
            "get key --addr no-such-host.invalid:4000", "get key --addr ::1:4000", "get key --timeout 0",
            "get key --timeout 9223372036854775807", "get key --timeout abc", "get key --value-file v.txt",
            "set k v --value-file v.txt", "get --debug=true key", "get key --addr", "get --addr=nonsense key"})
    void clientRefusesBadArgumentsWithoutAStackTrace(String args) throws Exception {
        Result result = client(args.isEmpty() ? new String[0] : args.split(" "));
        assertNotEquals(0, result.exit(), result.out());
        assertTrue(result.err().startsWith("kvs-client: "), result.err());
        assertEquals("", result.out());
        result.assertNoStackTrace();
    }

    @ParameterizedTest
    @ValueSource(strings = {"--engine sled", "--addr 1.2.3", "--addr 256.0.0.1:4000", "--bogus", "extra",
            "--sync sometimes", "--max-connections 0", "--addr=1.2.3", "--engine=sled", "--idle-timeout",
            "--node-id n1", "--raft-peers n1@127.0.0.1:5001", "--node-id n9 --raft-peers n1@127.0.0.1:5001",
            "--node-id n1 --raft-peers n1@127.0.0.1", "--node-id n1 --raft-peers n1@127.0.0.1:5001,n1@127.0.0.1:5002"})
    void serverRefusesBadArgumentsWithoutAStackTrace(String args) throws Exception {
        Result result = run(work, SERVER, args.split(" "));
        assertNotEquals(0, result.exit());
        assertTrue(result.err().startsWith("kvs-server: "), result.err());
        result.assertNoStackTrace();
        if (args.contains("sled")) {
            assertTrue(result.err().contains("valid engines are kvs, xodus"), result.err());
        }
        try (var files = Files.list(work)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().equals("ENGINE")), "bad arguments created data");
        }
    }

    /**
     * Regression: numeric options were converted without range checks, so "--idle-timeout
     * 10000000000" was accepted and then killed the event loop with a long overflow; "0" was
     * refused with "got PT0S"; client "--timeout 9223372036854775807" printed a stack trace.
     */
    @ParameterizedTest
    @ValueSource(strings = {"kvs-server --idle-timeout 10000000000", "kvs-server --idle-timeout 0",
            "kvs-server --idle-timeout=-5", "kvs-server --frame-timeout 0", "kvs-server --max-connections 99999999999",
            "kvs-server --max-connections 0", "kvs-server --max-frame-bytes 1", "kvs-server --max-frame-bytes 2g",
            "kvs-server --event-loops 0", "kvs-server --event-loops 100000", "kvs-server --busy-poll 1001",
            "kvs-server --busy-poll=-1",
            "kvs-server --compaction-threshold=-1", "kvs-server --compaction-threshold 2048g",
            "kvs-server --raft-election-timeout 0.01", "kvs-server --raft-request-timeout 0", "kvs-server --partial-frame-budget-bytes 1",
            "kvs-server --partial-frame-budget-bytes=100000g", "kvs-client get k --timeout 0",
            "kvs-client get k --timeout 9223372036854775807", "kvs-client get k --timeout=1e3"})
    void numericOptionsOutOfRangeAreOneSentenceWithExitCodeTwo(String line) throws Exception {
        String[] words = line.split(" ");
        String[] args = java.util.Arrays.copyOfRange(words, 1, words.length);
        Result result = run(work, words[0].equals("kvs-server") ? SERVER : CLIENT, args);
        assertEquals(2, result.exit(), result.err());
        String option = words[words.length - 1].contains("=") ? words[words.length - 1].split("=")[0] : words[words.length - 2];
        String value = words[words.length - 1].contains("=") ? words[words.length - 1].split("=", 2)[1] : words[words.length - 1];
        String[] lines = result.err().split("\n");
        assertEquals(2, lines.length, result.err());
        assertTrue(lines[0].startsWith(words[0] + ": " + option + " must be "), result.err());
        assertTrue(lines[0].endsWith(", got '" + value + "'"), result.err());
        assertFalse(lines[0].contains("PT"), result.err());
        result.assertNoStackTrace();
        try (var files = Files.list(work)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().equals("ENGINE")), "bad arguments created data");
        }
    }

    /** Regression: JCommander trimmed arguments (and stripped quotes), so '  two spaces  ' came back as 'two spaces'. */
    @Test
    void keysAndValuesRoundTripByteForByte() throws Exception {
        Server server = startServer(work.resolve("data"));
        String addr = server.address();
        String[][] pairs = {
                {"spaces", "  two spaces  "}, {"tabs", "\tin tabs\t"}, {"newlines", "line\n\n"}, {"quotes", "\"quoted\""},
                {"at", "@not-a-file"}, {"  spaced key  ", "v"}, {"empty", ""}, {"blank", " "}, {"unicode", "значение 🔑"}};
        for (String[] pair : pairs) {
            Result set = client("set", pair[0], pair[1], "--addr", addr);
            assertEquals(new Result(0, "", ""), set, pair[0]);
            assertEquals(new Result(0, pair[1] + "\n", ""), client("get", pair[0], "--addr", addr), pair[0]);
        }
        assertEquals(0, client("set", "--addr", addr, "--", "-k", "--value  ").exit());
        assertEquals("--value  \n", client("get", "--addr=" + addr, "--", "-k").out());
        assertEquals(0, stop(server));
    }

    /** Regression: values over ~128 KiB could not be set (the OS's limit on one argument). */
    @Test
    void valueFileSetsLargeAndExactValuesFromAFileOrStandardInput() throws Exception {
        Server server = startServer(work.resolve("data"));
        String addr = server.address();
        StringBuilder large = new StringBuilder();
        while (large.length() < 300 * 1024) {
            large.append("line ").append(large.length()).append(" ключ\t \n");
        }
        large.append("\n\n");
        Path file = work.resolve("value.txt");
        Files.writeString(file, large, StandardCharsets.UTF_8);
        assertEquals(new Result(0, "", ""), client("set", "large", "--value-file", file.toString(), "--addr", addr));
        assertEquals(large + "\n", client("get", "large", "--addr", addr).out());
        Result fromStdin = clientWithInput(file, "set", "piped", "--value-file", "-", "--addr", addr);
        assertEquals(new Result(0, "", ""), fromStdin);
        assertEquals(large + "\n", client("get", "piped", "--addr", addr).out());

        Path binary = work.resolve("binary");
        Files.write(binary, new byte[]{'o', 'k', (byte) 0xff, (byte) 0xfe});
        Result refused = client("set", "bin", "--value-file", binary.toString(), "--addr", addr);
        assertEquals(1, refused.exit());
        assertEquals("kvs-client: value file '" + binary + "' is not valid UTF-8: byte 0xff at offset 2 does not belong"
                + " there (kvs values are UTF-8 text)\n", refused.err());
        assertEquals("Key not found\n", client("get", "bin", "--addr", addr).out());
        assertEquals(0, stop(server));
    }

    /** Regression: an argument that was not UTF-8 ($'\xff\xfe') was silently stored as U+FFFD U+FFFD. */
    @Test
    void argumentThatIsNotUtf8IsRefused() throws Exception {
        Server server = startServer(work.resolve("data"));
        Path script = work.resolve("set-binary.sh");
        Files.writeString(script, "exec \"$1\" set bin $'\\xff\\xfe' --addr \"$2\"\n");
        Path err = work.resolve("binary-err.txt");
        Process process = new ProcessBuilder("bash", script.toString(), CLIENT.toString(), server.address())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(err.toFile()).start();
        assertTrue(process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        assertEquals(2, process.exitValue());
        String message = Files.readString(err);
        assertTrue(message.startsWith("kvs-client: argument 3 is not valid UTF-8"), message);
        assertEquals("Key not found\n", client("get", "bin", "--addr", server.address()).out());
        assertEquals(0, stop(server));
    }

    /** Regression: "--engine=xodus" and "--addr=HOST:PORT" were refused. */
    @Test
    void everyOptionTakesTheEqualsFormOnBothPrograms() throws Exception {
        Path data = work.resolve("data");
        Server server = launchServer(work, Map.of(), "--addr=127.0.0.1:0", "--engine=xodus", "--data-dir=" + data,
                "--sync=never", "--max-connections=100", "--max-frame-bytes=16m", "--idle-timeout=60", "--frame-timeout=0.5",
                "--event-loops=1", "--busy-poll=0", "--partial-frame-budget-bytes=64m", "--compaction-threshold=1m",
                "--debug");
        assertEquals("xodus", server.engine());
        assertEquals(0, client("set", "k", "v", "--addr=" + server.address(), "--timeout=5").exit());
        assertEquals(new Result(0, "v\n", ""), client("get", "k", "--addr=" + server.address(), "--timeout=0.5"));
        assertEquals(0, stop(server));
        assertEquals("xodus", Files.readString(data.resolve("ENGINE")).trim());
    }

    /**
     * Protected mode: an address other machines can reach, without a password, is refused in one
     * sentence naming both ways out; a password file turns AUTH on (RESP here), and the password
     * never reaches the log.
     */
    @Test
    void passwordFileProtectsTheServerAndProtectedModeRefusesAnOpenWildcard() throws Exception {
        Result open = run(work, SERVER, "--addr", "0.0.0.0:0");
        assertEquals(2, open.exit(), open.err());
        assertTrue(open.err().contains("--password-file PATH") && open.err().contains("--protected-mode no"), open.err());
        open.assertNoStackTrace();
        Result missing = run(work, SERVER, "--password-file", work.resolve("nope").toString());
        assertEquals(1, missing.exit(), missing.err());
        assertTrue(missing.err().startsWith("kvs-server: cannot read the password file "), missing.err());
        missing.assertNoStackTrace();
        Path file = work.resolve("password");
        Files.writeString(file, "s3cret-pass\n");
        Server server = startServer(work.resolve("secured"), "--password-file", file.toString());
        String[] hostPort = server.address().split(":");
        try (java.net.Socket socket = new java.net.Socket(hostPort[0], Integer.parseInt(hostPort[1]))) {
            socket.setSoTimeout((int) TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
            var out = socket.getOutputStream();
            var in = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            out.write("*2\r\n$3\r\nGET\r\n$1\r\nk\r\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals("-NOAUTH Authentication required.", in.readLine());
            out.write("AUTH wrong\r\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals("-WRONGPASS invalid username-password pair or user is disabled.", in.readLine());
            out.write("AUTH s3cret-pass\r\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals("+OK", in.readLine());
            out.write("*2\r\n$3\r\nGET\r\n$1\r\nk\r\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals("$-1", in.readLine());
        }
        Result refused = client("get", "k", "--addr", server.address());
        assertEquals(1, refused.exit(), refused.err());
        assertTrue(refused.err().contains("set KVS_PASSWORD or give --password-file PATH"), refused.err());
        refused.assertNoStackTrace();
        Result wrong = runWithEnvironment(Map.of("KVS_PASSWORD", "wrong"), CLIENT, "get", "k", "--addr", server.address());
        assertEquals(1, wrong.exit(), wrong.err());
        assertTrue(wrong.err().contains("invalid username-password pair"), wrong.err());
        Result set = runWithEnvironment(Map.of("KVS_PASSWORD", "s3cret-pass"), CLIENT, "set", "k", "v", "--addr", server.address());
        assertEquals(0, set.exit(), set.err());
        Result get = client("get", "k", "--addr", server.address(), "--password-file", file.toString());
        assertEquals("v\n", get.out(), get.err());
        String log = Files.readString(server.stderr(), StandardCharsets.UTF_8);
        assertTrue(log.contains("failed authentication from 127.0.0.1:"), log);
        assertFalse(log.contains("wrong") || log.contains("s3cret"), log);
    }

    /**
     * --compaction-threshold reaches the engine: at 0 the second write of a key starts a
     * compaction, which RESP INFO counts; at 64m (the server's default) two writes start none.
     */
    @Test
    void compactionThresholdOptionSetsWhenTheServerCompacts() throws Exception {
        Server eager = startServer(work.resolve("eager"), "--compaction-threshold", "0", "--sync", "never");
        assertEquals(0, client("set", "k", "v1", "--addr", eager.address()).exit());
        assertEquals(0, client("set", "k", "v2", "--addr", eager.address()).exit());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        String compactions = infoField(eager, "kvs_compactions");
        while (compactions.equals("0") && System.nanoTime() < deadline) {
            Thread.sleep(20);
            compactions = infoField(eager, "kvs_compactions");
        }
        assertNotEquals("0", compactions);
        assertEquals("v2\n", client("get", "k", "--addr", eager.address()).out());
        assertEquals(0, stop(eager));
        Server lazy = startServer(work.resolve("lazy"), "--sync", "never");
        assertEquals(0, client("set", "k", "v1", "--addr", lazy.address()).exit());
        assertEquals(0, client("set", "k", "v2", "--addr", lazy.address()).exit());
        assertEquals("0", infoField(lazy, "kvs_compactions"));
        assertEquals(0, stop(lazy));
    }

    /** The value of {@code field} in the server's RESP INFO reply. */
    private static String infoField(Server server, String field) throws IOException {
        String[] hostPort = server.address().split(":");
        try (java.net.Socket socket = new java.net.Socket(hostPort[0], Integer.parseInt(hostPort[1]))) {
            socket.setSoTimeout((int) TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
            socket.getOutputStream().write("INFO persistence\r\n".getBytes(StandardCharsets.US_ASCII));
            var in = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            String header = in.readLine();
            assertTrue(header.startsWith("$"), header);
            for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                if (line.startsWith(field + ":")) {
                    return line.substring(field.length() + 1);
                }
            }
            throw new AssertionError(field + " missing from INFO persistence");
        }
    }

    /**
     * status prints the server's Raft fields (a single server says standalone), and --addr with
     * several nodes tries them in turn: a node that refuses the connection hands over to the next.
     */
    @Test
    void statusAndAListOfAddressesFailingOverToTheNodeThatAnswers() throws Exception {
        Server server = startServer(work.resolve("single"));
        assertEquals(new Result(0, "raft_role:standalone\n", ""), client("status", "--addr", server.address()));
        String dead = "127.0.0.1:" + freePort();
        assertEquals(0, client("set", "k", "v", "--addr", dead + "," + server.address()).exit());
        assertEquals(new Result(0, "v\n", ""), client("get", "k", "--addr", dead + ", " + server.address()));
        Result none = client("get", "k", "--addr", dead + "," + dead);
        assertEquals(1, none.exit(), none.err());
        assertTrue(none.err().startsWith("kvs-client: no node of 2 answered; the last: cannot connect to " + dead), none.err());
        none.assertNoStackTrace();
        Result extra = client("status", "now", "--addr", server.address());
        assertEquals(2, extra.exit(), extra.err());
        assertTrue(extra.err().startsWith("kvs-client: status takes no arguments, got 1 argument"), extra.err());
        assertEquals(0, stop(server));
    }

    /** A Raft port that is taken is one sentence and exit 1 (Ratis itself would end the process without saying why). */
    @Test
    void aTakenRaftPortIsOneSentence() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String peer = "n1@127.0.0.1:" + taken.getLocalPort();
            Result result = run(work, SERVER, "--addr", "127.0.0.1:0", "--node-id", "n1", "--raft-peers", peer,
                    "--data-dir", work.resolve("raft-taken").toString());
            assertEquals(1, result.exit(), result.err());
            assertTrue(result.err().startsWith("kvs-server: cannot listen on the Raft port 127.0.0.1:" + taken.getLocalPort()
                    + " of node n1: "), result.err());
            result.assertNoStackTrace();
        }
    }

    /** Regression: "--addr localhost:4000" was refused; "--addr 0.0.0.0:PORT" listened on [::] and said so. */
    @Test
    void hostNamesResolveAndWildcardsBindWhatWasAsked() throws Exception {
        Server named = launchServer(work.resolve("named"), Map.of(), "--addr", "localhost:0");
        assertTrue(named.address().startsWith("localhost:"), named.address());
        assertEquals(0, client("set", "k", "named", "--addr", named.address()).exit());
        assertEquals("named\n", client("get", "k", "--addr", named.address()).out());
        assertEquals(0, stop(named));

        Server wildcard = launchServer(work.resolve("wildcard"), Map.of(), "--addr", "0.0.0.0:0", "--protected-mode", "no");
        assertTrue(wildcard.address().startsWith("0.0.0.0:"), wildcard.address());
        String port = wildcard.address().substring("0.0.0.0:".length());
        assertEquals(0, client("set", "k", "v4", "--addr", "127.0.0.1:" + port).exit());
        boolean ipv6 = true;
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(InetAddress.getByName("::1"), 0));
        } catch (IOException e) {
            ipv6 = false;
        }
        if (ipv6) {
            Result overIpv6 = client("get", "k", "--addr", "[::1]:" + port);
            assertNotEquals(0, overIpv6.exit(), "an IPv4 wildcard also listened on IPv6");
            assertTrue(overIpv6.err().startsWith("kvs-client: cannot connect to [::1]:" + port), overIpv6.err());
        }
        assertEquals(0, stop(wildcard));
    }

    /** Regression: "-h" showed "Default: /127.0.0.1:4000" and the client's help left out --debug. */
    @Test
    void helpShowsDefaultsAsTypedAndEveryOption() throws Exception {
        Result server = run(work, SERVER, "-h");
        assertEquals(0, server.exit());
        assertTrue(server.out().contains("default 127.0.0.1:4000") && !server.out().contains("/127.0.0.1"), server.out());
        for (String option : new String[]{"--addr", "--engine", "--data-dir", "--sync", "--max-connections", "--max-frame-bytes",
                "--idle-timeout", "--frame-timeout", "--event-loops", "--busy-poll", "--partial-frame-budget-bytes",
                "--compaction-threshold", "--debug", "--version"}) {
            assertTrue(server.out().contains(option), option + " missing from:\n" + server.out());
        }
        Result client = client("--help");
        assertEquals(0, client.exit());
        for (String option : new String[]{"--addr", "--timeout", "--value-file", "--debug", "--version", "--help"}) {
            assertTrue(client.out().contains(option), option + " missing from:\n" + client.out());
        }
    }

    /** Regression: a client talking to an HTTP server said "frame length 1213486160 exceeds the limit". */
    @Test
    void serverThatSpeaksAnotherProtocolIsNamedInOneSentence() throws Exception {
        try (ServerSocket http = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
            Thread answer = new Thread(() -> {
                try (java.net.Socket socket = http.accept()) {
                    socket.getInputStream().read();
                    socket.getOutputStream().write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
                    socket.shutdownOutput();
                    socket.getInputStream().read();
                } catch (IOException ignored) {
                    // The client hangs up first.
                }
            });
            answer.start();
            String address = "127.0.0.1:" + http.getLocalPort();
            Result result = client("get", "k", "--addr", address);
            assertEquals(new Result(1, "", "kvs-client: the server at " + address + " does not speak the kvs protocol\n"), result);
            answer.join();
        }
    }

    /**
     * Regression: the server listened before its engine was open, so a client that connected
     * while the engine failed to open was accepted and then reset. Now it is refused.
     */
    @Test
    void clientsDuringAStartThatFailsAreRefusedNotReset() throws Exception {
        Path data = work.resolve("locked");
        Files.createDirectories(data);
        int port = freePort();
        try (io.kvs.core.DataDirectory lock = io.kvs.core.DataDirectory.claim(data, "kvs")) {
            assertTrue(Files.exists(lock.path()), "the test holds the data directory's lock");
            Path err = Files.createTempFile(work, "server", ".txt");
            Process process = new ProcessBuilder(SERVER.toString(), "--addr", "127.0.0.1:" + port, "--data-dir", data.toString())
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(err.toFile()).start();
            servers.add(process);
            int accepted = 0;
            int attempts = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
            while (process.isAlive() && System.nanoTime() < deadline) {
                try (java.net.Socket socket = new java.net.Socket()) {
                    socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                    accepted++;
                } catch (IOException refused) {
                    // Expected: nothing listens until the engine is open.
                }
                attempts++;
            }
            assertTrue(process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            assertNotEquals(0, process.exitValue());
            String log = Files.readString(err);
            assertTrue(log.startsWith("kvs-server: "), log);
            assertEquals(0, accepted, accepted + " of " + attempts + " connections were accepted by a server that never served");
        }
    }

    @Test
    void takenPortFailsBeforeTheDataDirectoryIsCreated() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Path data = work.resolve("never-created");
            Result result = run(work, SERVER, "--addr", "127.0.0.1:" + taken.getLocalPort(), "--data-dir", data.toString());
            assertEquals(1, result.exit());
            assertTrue(result.err().startsWith("kvs-server: cannot listen on 127.0.0.1:" + taken.getLocalPort()), result.err());
            result.assertNoStackTrace();
            assertFalse(Files.exists(data), "a failed start created the data directory");
        }
    }

    /**
     * Regression: an Error in an event loop (here the direct memory for a socket read runs out)
     * killed the loop while the process stayed up with the port bound, and every request timed
     * out. Now the server logs the failure in one line and exits non-zero.
     */
    @Test
    void eventLoopFailureStopsTheServerWithANonZeroExit() throws Exception {
        Server server = launchServer(work.resolve("data"), Map.of("KVS_SERVER_JAVA_OPTS", "-XX:MaxDirectMemorySize=1m"),
                "--addr", "127.0.0.1:0", "--event-loops", "1");
        String[] hostPort = server.address().split(":");
        try (java.net.Socket socket = new java.net.Socket(hostPort[0], Integer.parseInt(hostPort[1]))) {
            int valueBytes = 4 << 20;
            java.io.DataOutputStream out = new java.io.DataOutputStream(new java.io.BufferedOutputStream(socket.getOutputStream()));
            out.writeInt(2 + 4 + 1 + valueBytes);
            out.write(new byte[]{1, 1, 0, 0, 0, 1, 'k'});
            out.write(new byte[valueBytes]);
            out.flush();
        } catch (IOException e) {
            // The server may fail and close while the value is still being sent.
        }
        assertTrue(server.process().waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS), "the server is still running after its loop failed");
        assertEquals(1, server.process().exitValue());
        String log = Files.readString(server.stderr());
        assertTrue(log.contains("kvs-loop-0 failed: java.lang.OutOfMemoryError"), log);
        assertFalse(log.contains("\tat "), "stack trace in the log:\n" + log);
    }

    @ParameterizedTest
    @ValueSource(strings = {"kvs", "xodus"})
    void setGetRemoveAndRestartCycle(String engine) throws Exception {
        Path data = work.resolve("data");
        Server server = startServer(data, "--engine", engine);
        assertEquals(engine, server.engine());
        String addr = server.address();

        Result set = client("set", "key1", "value1", "--addr", addr);
        assertEquals(0, set.exit(), set.err());
        assertEquals("", set.out());
        assertEquals("", set.err());
        assertEquals(new Result(0, "value1\n", ""), client("get", "key1", "--addr", addr));
        assertEquals(0, client("set", "ключ", "значение 🔑", "--addr", addr).exit());
        assertEquals("значение 🔑\n", client("get", "ключ", "--addr", addr).out());
        assertEquals(0, client("set", "--addr", addr, "--", "-dash", "-5").exit());
        assertEquals("-5\n", client("get", "--addr", addr, "--", "-dash").out());

        assertEquals(new Result(0, "Key not found\n", ""), client("get", "missing", "--addr", addr));
        Result rm = client("rm", "key1", "--addr", addr);
        assertEquals(new Result(0, "", ""), rm);
        assertEquals(new Result(0, "Key not found\n", ""), client("get", "key1", "--addr", addr));
        Result rmMissing = client("rm", "key1", "--addr", addr);
        assertNotEquals(0, rmMissing.exit());
        assertEquals("", rmMissing.out());
        assertEquals("Key not found\n", rmMissing.err());

        assertEquals(0, stop(server));
        Server again = startServer(data);
        assertEquals(engine, again.engine(), "the engine is remembered");
        assertEquals("значение 🔑\n", client("get", "ключ", "--addr", again.address()).out());
        assertEquals("Key not found\n", client("get", "key1", "--addr", again.address()).out());
        assertEquals(0, stop(again));
    }

    @Test
    void startLineNamesVersionEngineAddressAndDataDirectory() throws Exception {
        Path data = work.resolve("data");
        Server server = startServer(data);
        String log = Files.readString(server.stderr());
        assertTrue(log.contains("kvs-server " + version()), log);
        assertTrue(log.contains("engine kvs") && log.contains(data.toRealPath().toString()), log);
        assertEquals(0, stop(server));
    }

    @Test
    void dataLivesInTheCurrentDirectoryOrTheDataDirOption() throws Exception {
        Path cwd = work.resolve("cwd");
        Server server = startServer(cwd);
        assertEquals(0, client("set", "a", "1", "--addr", server.address()).exit());
        assertEquals(0, stop(server));
        assertTrue(Files.exists(cwd.resolve("ENGINE")));

        Path other = work.resolve("other");
        Server elsewhere = startServer(cwd, "--data-dir", other.toString(), "--engine", "xodus");
        assertEquals(0, stop(elsewhere));
        assertEquals("xodus", Files.readString(other.resolve("ENGINE")).trim());
    }

    @Test
    void engineMismatchIsRefusedBothWays() throws Exception {
        Path kvsData = work.resolve("kvs-data");
        assertEquals(0, stop(startServer(kvsData, "--engine", "kvs")));
        Result wrong = run(kvsData, SERVER, "--addr", "127.0.0.1:0", "--engine", "xodus");
        assertNotEquals(0, wrong.exit());
        assertTrue(wrong.err().contains("holds data of engine 'kvs'"), wrong.err());
        wrong.assertNoStackTrace();

        Path xodusData = work.resolve("xodus-data");
        assertEquals(0, stop(startServer(xodusData, "--engine", "xodus")));
        Result wrongAgain = run(xodusData, SERVER, "--addr", "127.0.0.1:0", "--engine", "kvs");
        assertNotEquals(0, wrongAgain.exit());
        assertTrue(wrongAgain.err().contains("holds data of engine 'xodus'"), wrongAgain.err());
        wrongAgain.assertNoStackTrace();
    }

    @Test
    void portInUseIsAnErrorWithoutAStackTrace() throws Exception {
        Server server = startServer(work.resolve("a"));
        Path other = work.resolve("b");
        Files.createDirectories(other);
        Result second = run(other, SERVER, "--addr", server.address());
        assertNotEquals(0, second.exit());
        assertTrue(second.err().contains("cannot listen on " + server.address()), second.err());
        second.assertNoStackTrace();
        assertFalse(Files.exists(other.resolve("ENGINE")), "a failed start must not claim the directory");
        assertEquals(0, stop(server));
    }

    @Test
    void unreachableServerIsAnErrorWithoutAStackTrace() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Result result = client("get", "key", "--addr", "127.0.0.1:" + port);
        assertNotEquals(0, result.exit());
        assertTrue(result.err().startsWith("kvs-client: cannot connect to 127.0.0.1:" + port), result.err());
        result.assertNoStackTrace();
    }

    @Test
    void acknowledgedSetsSurviveKillNineOfTheServer() throws Exception {
        Path data = work.resolve("data");
        Server server = startServer(data);
        for (int i = 0; i < 20; i++) {
            assertEquals(0, client("set", "key" + i, "value" + i, "--addr", server.address()).exit());
        }
        server.process().destroyForcibly(); // SIGKILL
        assertTrue(server.process().waitFor(10, TimeUnit.SECONDS));
        Server again = startServer(data);
        for (int i = 0; i < 20; i += 7) {
            assertEquals("value" + i + "\n", client("get", "key" + i, "--addr", again.address()).out());
        }
        assertEquals(0, stop(again));
    }

    @Test
    void sigtermExitsZeroWithinTenSeconds() throws Exception {
        Server server = startServer(work.resolve("data"));
        assertEquals(0, client("set", "k", "v", "--addr", server.address()).exit());
        long start = System.nanoTime();
        assertEquals(0, stop(server));
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10));
        String log = Files.readString(server.stderr());
        assertTrue(log.contains("SIGTERM: shutting down") && log.contains("stopped"), log);
    }

    @Test
    void ipv6LoopbackAddressWorks() throws Exception {
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(InetAddress.getByName("::1"), 0));
        } catch (IOException e) {
            Assumptions.abort("no IPv6 loopback here: " + e.getMessage());
        }
        Path data = work.resolve("data");
        Files.createDirectories(data);
        List<String> command = List.of(SERVER.toString(), "--addr", "[::1]:0");
        Path err = Files.createTempFile(work, "server6", ".txt");
        Process process = new ProcessBuilder(command).directory(data.toFile())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(err.toFile()).start();
        servers.add(process);
        String address = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (address == null && System.nanoTime() < deadline && process.isAlive()) {
            Matcher matcher = LISTENING.matcher(Files.readString(err));
            if (matcher.find()) {
                address = matcher.group(1);
            }
            Thread.sleep(20);
        }
        assertTrue(address != null && address.startsWith("[::1]:"), "address " + address + ":\n" + Files.readString(err));
        assertEquals(0, client("set", "six", "yes", "--addr", address).exit());
        assertEquals("yes\n", client("get", "six", "--addr", address).out());
    }

    /** Writes a kvs store of 3,000 sets and removes over 1,000 keys in 64 KiB segments; returns the live keys. */
    private static Map<String, String> writeStore(Path dir) {
        try (KvStore store = KvStore.open(dir, KvStoreOptions.defaults().withSegmentBytes(64 * 1024))) {
            return MixedWorkload.run(store, 3000, 1000, 7);
        }
    }

    @Test
    void missingSegmentStopsTheServerWithOneSentenceNamingTheFile() throws Exception {
        Path data = work.resolve("missing");
        writeStore(data);
        List<Long> ids = segmentIds(data);
        assertTrue(ids.size() > 3, "segments " + ids);
        Path gone = data.resolve(String.format("%010d.log", ids.get(2)));
        Files.delete(gone);
        Result start = run(data, SERVER, "--addr", "127.0.0.1:0");
        assertEquals(1, start.exit(), start.err());
        assertTrue(start.err().contains("missing") && start.err().contains(gone.getFileName().toString()), start.err());
        assertEquals(1, start.err().strip().lines().count(), "one sentence:\n" + start.err());
        start.assertNoStackTrace();
    }

    @Test
    void engineMarkerRewrittenOrDeletedNeverHidesTheData() throws Exception {
        Path data = work.resolve("marker");
        Map<String, String> live = writeStore(data);
        Files.writeString(data.resolve("ENGINE"), "xodus\n");
        Result rewritten = run(data, SERVER, "--addr", "127.0.0.1:0");
        assertEquals(1, rewritten.exit(), rewritten.err());
        assertTrue(rewritten.err().contains("ENGINE says 'xodus' but the directory holds 'kvs' files"), rewritten.err());
        rewritten.assertNoStackTrace();
        Result asked = run(data, SERVER, "--addr", "127.0.0.1:0", "--engine", "xodus");
        assertEquals(1, asked.exit(), asked.err());
        assertTrue(asked.err().contains("holds data of engine 'kvs'"), asked.err());
        assertEquals("xodus\n", Files.readString(data.resolve("ENGINE")), "the marker is not rewritten");

        Files.delete(data.resolve("ENGINE"));
        Result deleted = run(data, SERVER, "--addr", "127.0.0.1:0", "--engine", "xodus");
        assertNotEquals(0, deleted.exit(), deleted.err());
        assertTrue(deleted.err().contains("holds data of engine 'kvs'"), deleted.err());
        deleted.assertNoStackTrace();
        assertFalse(Files.exists(data.resolve("ENGINE")), "no marker written over kvs data");

        Server server = startServer(data);
        assertEquals("kvs", server.engine());
        String key = live.keySet().iterator().next();
        assertEquals(live.get(key) + "\n", client("get", key, "--addr", server.address()).out());
        assertEquals(0, stop(server));
    }

    @Test
    void repairSalvagesAFlippedByteAndTheServerStartsAgain() throws Exception {
        Path data = work.resolve("damaged");
        Map<String, String> live = writeStore(data);
        Path first = data.resolve(String.format("%010d.log", segmentIds(data).get(0)));
        byte[] bytes = Files.readAllBytes(first);
        bytes[64 + 20] ^= 0x40;
        Files.write(first, bytes);
        Result refused = run(data, SERVER, "--addr", "127.0.0.1:0");
        assertEquals(1, refused.exit(), refused.err());
        assertTrue(refused.err().contains(first.getFileName().toString()), refused.err());
        refused.assertNoStackTrace();

        Result repair = run(data, SERVER, "--repair", "--data-dir", data.toString());
        assertEquals(0, repair.exit(), repair.out() + repair.err());
        assertTrue(repair.out().contains("dropped " + first.getFileName() + " offsets 64.."), repair.out());
        assertTrue(repair.out().contains("repair-backup-"), repair.out());
        repair.assertNoStackTrace();

        Server server = startServer(data);
        int found = 0;
        for (Map.Entry<String, String> entry : live.entrySet()) {
            if (found == 20) {
                break;
            }
            Result get = client("get", entry.getKey(), "--addr", server.address());
            if (get.out().equals(entry.getValue() + "\n")) {
                found++;
            }
        }
        assertEquals(20, found, "values written after the damaged record are served");
        assertEquals(0, stop(server));
    }

    private static List<Long> segmentIds(Path dir) throws IOException {
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.matches("\\d{10}\\.log"))
                    .map(n -> Long.parseLong(n.substring(0, 10))).sorted().toList();
        }
    }
}
