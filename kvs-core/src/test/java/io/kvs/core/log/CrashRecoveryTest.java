package io.kvs.core.log;

import io.kvs.core.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * kill -9 at random moments, many cycles: a child JVM writes and acknowledges operations; after
 * each kill the store must reopen holding every acknowledged operation, possibly the one in
 * flight, and nothing else. Cycles: {@value #CYCLES_PROP_NAME} (default {@value #CYCLES_DEFAULT}).
 */
class CrashRecoveryTest {

    static final String CYCLES_PROP_NAME = "kvs.crash.cycles";
    static final int CYCLES_DEFAULT = 24;

    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedWriteSurvivesKillNineAndNothingElseAppears() throws Exception {
        int cycles = Integer.getInteger(CYCLES_PROP_NAME, CYCLES_DEFAULT);
        Random random = new Random(20261124);
        Map<String, String> state = new HashMap<>();
        int totalAcks = 0;
        for (int cycle = 0; cycle < cycles; cycle++) {
            long seed = random.nextLong();
            Path acks = dir.resolveSibling(dir.getFileName() + "-acks-" + cycle + ".txt");
            Process child = ChildJvm.start(ProcessBuilder.Redirect.to(acks.toFile()), CrashWriter.class,
                    dir.toString(), Long.toString(seed));
            // Mostly kill while writing; sometimes while the child is still opening (recovering).
            long killAfterMillis = cycle % 5 == 0 ? random.nextInt(600) : -1;
            if (killAfterMillis < 0) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (countAcks(acks) == 0 && child.isAlive() && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }
                assertTrue(child.isAlive(), "child died before it was killed, exit " + exitOf(child));
                killAfterMillis = random.nextInt(400);
            }
            Thread.sleep(killAfterMillis);
            child.destroyForcibly();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
            int acknowledged = countAcks(acks);
            Files.delete(acks);
            totalAcks += acknowledged;

            List<CrashWriter.Op> ops = opsOfChild(seed, acknowledged + 1);
            Map<String, String> acked = apply(state, ops.subList(0, acknowledged));
            Map<String, String> withInFlight = apply(acked, ops.subList(acknowledged, acknowledged + 1));
            Map<String, String> actual = new HashMap<>();
            try (KvStore store = KvStore.open(dir, CrashWriter.OPTIONS)) {
                for (int k = 0; k < CrashWriter.KEYS; k++) {
                    String key = "k" + k;
                    store.get(key).ifPresent(value -> actual.put(key, value));
                }
                if (store.size() != actual.size()) {
                    fail("cycle " + cycle + ": store holds keys outside the key space");
                }
            }
            if (!actual.equals(acked) && !actual.equals(withInFlight)) {
                fail("cycle " + cycle + " after " + acknowledged + " acknowledged operations: "
                        + describeDifference(acked, actual));
            }
            state = actual;
        }
        assertTrue(totalAcks > cycles * 10, "too few operations acknowledged: " + totalAcks);
    }

    /** The child's operations: batches of 10,000 from a seed that advances per batch. */
    private static List<CrashWriter.Op> opsOfChild(long seed, int count) {
        List<CrashWriter.Op> ops = new ArrayList<>(count);
        long batchSeed = seed;
        while (ops.size() < count) {
            List<CrashWriter.Op> batch = CrashWriter.ops(batchSeed, 10_000);
            ops.addAll(batch.subList(0, Math.min(batch.size(), count - ops.size())));
            batchSeed = batchSeed * 31 + 1;
        }
        return ops;
    }

    private static Map<String, String> apply(Map<String, String> state, List<CrashWriter.Op> ops) {
        Map<String, String> next = new HashMap<>(state);
        for (CrashWriter.Op op : ops) {
            if (op.value() == null) {
                next.remove(op.key());
            } else {
                next.put(op.key(), op.value());
            }
        }
        return next;
    }

    /** The operations acknowledged in the child's output: complete {@code ack N} lines only. */
    private static int countAcks(Path output) throws IOException {
        byte[] bytes = Files.readAllBytes(output);
        int end = bytes.length;
        while (end > 0 && bytes[end - 1] != '\n') {
            end--; // a line cut short by the kill does not count
        }
        int acked = 0;
        for (String line : new String(bytes, 0, end, StandardCharsets.UTF_8).split("\n")) {
            if (line.startsWith("ack ")) {
                acked = Integer.parseInt(line.substring(4)) + 1;
            }
        }
        return acked;
    }

    private static String exitOf(Process child) {
        return child.isAlive() ? "running" : Integer.toString(child.exitValue());
    }

    /** The first few differences, kept short enough to read in a test report. */
    private static String describeDifference(Map<String, String> expected, Map<String, String> actual) {
        List<String> differences = new ArrayList<>();
        for (String key : expected.keySet()) {
            if (!expected.get(key).equals(actual.get(key))) {
                differences.add(key + ": expected " + shorten(expected.get(key)) + " got " + shorten(actual.get(key)));
            }
        }
        for (String key : actual.keySet()) {
            if (!expected.containsKey(key)) {
                differences.add(key + ": unexpected " + shorten(actual.get(key)));
            }
        }
        return differences.size() + " keys differ: " + String.join("; ", differences.subList(0, Math.min(5, differences.size())));
    }

    private static String shorten(String value) {
        return value == null ? "none" : value.length() > 30 ? value.substring(0, 30) + "..." : value;
    }
}
