package io.kvs.cli;

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
        List<String> command = new ArrayList<>();
        command.add(program.toString());
        command.addAll(List.of(args));
        Path out = Files.createTempFile(work, "out", ".txt");
        Path err = Files.createTempFile(work, "err", ".txt");
        Process process = new ProcessBuilder(command).directory(cwd.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
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

    private Server startServer(Path dataDir, String... args) throws IOException, InterruptedException {
        Files.createDirectories(dataDir);
        List<String> command = new ArrayList<>(List.of(SERVER.toString(), "--addr", "127.0.0.1:0"));
        command.addAll(List.of(args));
        Path err = Files.createTempFile(work, "server", ".txt");
        Process process = new ProcessBuilder(command).directory(dataDir.toFile())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(err.toFile()).start();
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
            "get key --addr localhost:4000", "get key --addr ::1:4000"})
    void clientRefusesBadArgumentsWithoutAStackTrace(String args) throws Exception {
        Result result = client(args.isEmpty() ? new String[0] : args.split(" "));
        assertNotEquals(0, result.exit(), result.out());
        assertTrue(result.err().startsWith("kvs-client: "), result.err());
        assertEquals("", result.out());
        result.assertNoStackTrace();
    }

    @ParameterizedTest
    @ValueSource(strings = {"--engine sled", "--addr 1.2.3", "--addr 256.0.0.1:4000", "--bogus", "extra",
            "--sync sometimes", "--max-connections 0"})
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
}
