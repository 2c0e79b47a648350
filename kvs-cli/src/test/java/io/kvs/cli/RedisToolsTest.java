package io.kvs.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Redis's own tools against bin/kvs-server: redis-cli (arguments and commands on standard input)
 * and redis-benchmark. They come from Debian's redis-tools, which .ci/run installs; where it
 * cannot be installed these tests are skipped, saying so.
 */
class RedisToolsTest {

    private static final Path ROOT = Path.of(System.getProperty("kvs.repository.root", "..")).toAbsolutePath().normalize();
    private static final Path SERVER = ROOT.resolve("bin/kvs-server");
    private static final Pattern LISTENING = Pattern.compile("listening on \\S+:(\\d+) ");
    private static final long TIMEOUT_SECONDS = 120;

    @TempDir
    Path work;
    private Process server;
    private String port;

    /** The path of {@code tool} on the PATH, or null. */
    private static Path onPath(String tool) {
        for (String directory : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(directory, tool);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    private static Path require(String tool) {
        Path path = onPath(tool);
        assumeTrue(path != null, tool + " is not installed (Debian package redis-tools; .ci/run installs it): skipped");
        return path;
    }

    @BeforeEach
    void start() throws IOException, InterruptedException {
        Path log = work.resolve("server.log");
        server = new ProcessBuilder(SERVER.toString(), "--addr", "127.0.0.1:0", "--data-dir", work.resolve("data").toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (System.nanoTime() < deadline) {
            Matcher matcher = LISTENING.matcher(Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "");
            if (matcher.find()) {
                port = matcher.group(1);
                return;
            }
            if (!server.isAlive()) {
                fail("kvs-server exited: " + Files.readString(log, StandardCharsets.UTF_8));
            }
            Thread.sleep(50);
        }
        fail("kvs-server did not start within " + TIMEOUT_SECONDS + " s");
    }

    @AfterEach
    void stop() throws InterruptedException {
        server.destroy();
        if (!server.waitFor(10, TimeUnit.SECONDS)) {
            server.destroyForcibly();
        }
    }

    /** Runs {@code command} with {@code input} on its standard input (null: none); returns exit code and output. */
    private String[] run(String input, String... command) throws IOException, InterruptedException {
        Path out = Files.createTempFile(work, "out", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
        Path in = null;
        if (input != null) {
            in = Files.createTempFile(work, "in", ".txt");
            Files.writeString(in, input, StandardCharsets.UTF_8);
            builder.redirectInput(in.toFile());
        }
        Process process = builder.start();
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail(String.join(" ", command) + " did not finish within " + TIMEOUT_SECONDS + " s");
        }
        return new String[] {Integer.toString(process.exitValue()), Files.readString(out, StandardCharsets.UTF_8)};
    }

    @Test
    void redisCliSetsAndGetsWhatKvsClientReads() throws Exception {
        String cli = require("redis-cli").toString();
        assertEquals("OK\n", run(null, cli, "-p", port, "set", "greeting", "hello")[1]);
        assertEquals("hello\n", run(null, cli, "-p", port, "get", "greeting")[1]);
        String[] fromKvs = run(null, ROOT.resolve("bin/kvs-client").toString(), "get", "greeting", "--addr", "127.0.0.1:" + port);
        assertEquals("hello\n", fromKvs[1]);
        assertEquals("\n", run(null, cli, "-p", port, "get", "missing")[1]);
        assertEquals("(error) ERR wrong number of arguments for 'get' command\n",
                run(null, cli, "-p", port, "--no-raw", "get")[1]);
    }

    @Test
    void redisCliReadsCommandsFromStandardInput() throws Exception {
        String cli = require("redis-cli").toString();
        String[] result = run("SET a 1\nINCRBY a 41\nGET a\nMSET b 2 c 3\nMGET a b c nope\nDBSIZE\nEXISTS a b nope\n",
                cli, "-p", port);
        assertEquals("0", result[0], result[1]);
        assertEquals("OK\n42\n42\nOK\n42\n2\n3\n\n3\n2\n", result[1]);
    }

    @Test
    void redisBenchmarkRunsItsStringTestsWithoutAnError() throws Exception {
        String benchmark = require("redis-benchmark").toString();
        String[] result = run(null, benchmark, "-p", port, "-t", "ping,set,get,incr,mset", "-n", "20000", "-q");
        assertEquals("0", result[0], result[1]);
        for (String test : List.of("PING_INLINE", "PING_MBULK", "SET", "GET", "INCR", "MSET (10 keys)")) {
            assertTrue(result[1].contains(test + ": "), "no result for " + test + ":\n" + result[1]);
        }
        assertFalse(result[1].contains("Error from server"), result[1]);
    }
}
