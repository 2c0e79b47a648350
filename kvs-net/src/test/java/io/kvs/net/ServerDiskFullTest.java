package io.kvs.net;

import io.kvs.core.KvStoreOptions;
import io.kvs.core.SmallFilesystem;
import io.kvs.net.protocol.FrameDescriptor;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A server whose disk fills up, for real (a small tmpfs; skipped where mounting is not allowed):
 * the client gets error replies, the server stays up and keeps serving reads, a restart finds
 * every acknowledged write and nothing partial, and writes succeed again once space is freed.
 * The same with a file size limit ({@code ulimit -f}, set on the running server with
 * {@code prlimit}) in place of a full disk. No {@code hs_err} crash file appears.
 */
class ServerDiskFullTest {

    private static final long FILESYSTEM_BYTES = 8L * 1024 * 1024;

    @TempDir
    Path tmp;

    private static ChildServer start(Path data) throws IOException {
        return ChildServer.start(
                List.of("-D" + KvStoreOptions.SEGMENT_BYTES_PROP_NAME + "=" + (2 * 1024 * 1024),
                        "-D" + KvStoreOptions.COMPACTION_THRESHOLD_BYTES_PROP_NAME + "=" + Long.MAX_VALUE,
                        "-D" + KvStoreOptions.SYNC_POLICY_PROP_NAME + "=always",
                        "-XX:ErrorFile=" + data.resolveSibling("hs_err_pid%p.log")),
                data.toString());
    }

    /** Sets 20 KB values until the server answers STORAGE; returns the key that failed, or null. */
    private static String setUntilStorageError(KvsClient client, Map<String, String> acknowledged, int attempts) {
        String value = "v".repeat(20_000);
        for (int i = 0; i < attempts; i++) {
            try {
                client.set("key" + i, value + i);
                acknowledged.put("key" + i, value + i);
            } catch (ServerErrorException e) {
                assertEquals(FrameDescriptor.ERROR_STORAGE, e.errorCode(), e.getMessage());
                return "key" + i;
            }
        }
        return null;
    }

    @Test
    void fullDiskGivesErrorRepliesAndTheServerCarriesOn() throws Exception {
        try (SmallFilesystem filesystem = SmallFilesystem.mount(tmp.resolve("small"), FILESYSTEM_BYTES)) {
            Path data = filesystem.path().resolve("data");
            Path filler = filesystem.path().resolve("filler");
            Files.write(filler, new byte[(int) (FILESYSTEM_BYTES / 2)]);
            Map<String, String> acknowledged = new LinkedHashMap<>();
            try (ChildServer server = start(data); KvsClient client = KvsClient.connect(server.address())) {
                String failedKey = setUntilStorageError(client, acknowledged, 2000);
                assertNotNull(failedKey, "the disk never filled up");
                client.ping();
                assertEquals(Optional.empty(), client.get(failedKey));
                assertEquals(Optional.of(acknowledged.get("key0")), client.get("key0"));
                assertTrue(server.process().isAlive());
            }
            String failedKey = "key" + acknowledged.size();
            try (ChildServer restarted = start(data); KvsClient client = KvsClient.connect(restarted.address())) {
                for (Map.Entry<String, String> entry : acknowledged.entrySet()) {
                    assertEquals(Optional.of(entry.getValue()), client.get(entry.getKey()));
                }
                assertEquals(Optional.empty(), client.get(failedKey));
                Files.delete(filler);
                client.set(failedKey, "space was freed");
                assertEquals(Optional.of("space was freed"), client.get(failedKey));
            }
            assertNoCrashFiles(filesystem.path());
        }
    }

    @Test
    void fileSizeLimitGivesErrorRepliesAndWritesResumeWhenLifted() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/prlimit")), "skipped: no prlimit here");
        Path data = tmp.resolve("data");
        Map<String, String> acknowledged = new LinkedHashMap<>();
        try (ChildServer server = start(data); KvsClient client = KvsClient.connect(server.address())) {
            client.set("before", "limit");
            acknowledged.put("before", "limit");
            // Like ulimit -f 1536 (the soft limit): no file of the server may grow past 1.5 MiB from now on.
            prlimit(server.process().pid(), "1572864");
            String failedKey = setUntilStorageError(client, acknowledged, 500);
            assertNotNull(failedKey, "the file size limit was never reached");
            assertTrue(server.process().isAlive());
            assertEquals(Optional.of("limit"), client.get("before"));
            prlimit(server.process().pid(), "unlimited");
            client.set(failedKey, "limit lifted");
            acknowledged.put(failedKey, "limit lifted");
        }
        try (ChildServer restarted = start(data); KvsClient client = KvsClient.connect(restarted.address())) {
            for (Map.Entry<String, String> entry : acknowledged.entrySet()) {
                assertEquals(Optional.of(entry.getValue()), client.get(entry.getKey()));
            }
        }
        assertNoCrashFiles(tmp);
    }

    private static void prlimit(long pid, String bytes) throws IOException, InterruptedException {
        Process prlimit = new ProcessBuilder("prlimit", "--pid", Long.toString(pid), "--fsize=" + bytes + ":")
                .redirectErrorStream(true).start();
        String output = new String(prlimit.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(prlimit.waitFor(30, TimeUnit.SECONDS) && prlimit.exitValue() == 0, "prlimit failed: " + output);
    }

    static void assertNoCrashFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            assertFalse(files.anyMatch(f -> f.getFileName().toString().startsWith("hs_err")), "a JVM crash file appeared");
        }
    }
}
