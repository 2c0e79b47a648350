package io.kvs.core.log;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The check after a {@link CrashWriter} child died: reopen the store and compare it with the
 * operations the child acknowledged (from its stdout file). The store must hold the state after
 * every acknowledged operation, or after those and the one in flight (a batch whole); nothing else.
 */
final class CrashCheck {

    private CrashCheck() {
    }

    /**
     * Opens the store in {@code dir} and checks it against {@code before} plus the child's
     * acknowledged operations; returns the state found, the starting point of the next cycle.
     */
    static Map<String, String> verify(Path dir, Map<String, String> before, long seed, Path childOutput, String context)
            throws IOException {
        int acknowledged = countAcks(childOutput);
        List<CrashWriter.Op> ops = opsOfChild(seed, acknowledged + 1);
        Map<String, String> acked = apply(before, ops.subList(0, acknowledged));
        Map<String, String> withInFlight = apply(acked, ops.subList(acknowledged, acknowledged + 1));
        Map<String, String> actual = new HashMap<>();
        try (KvStore store = KvStore.open(dir, CrashWriter.OPTIONS)) {
            for (int k = 0; k < CrashWriter.KEYS; k++) {
                String key = "k" + k;
                store.get(key).ifPresent(value -> actual.put(key, value));
            }
            if (store.size() != actual.size()) {
                fail(context + ": store holds keys outside the key space");
            }
        }
        if (!actual.equals(acked) && !actual.equals(withInFlight)) {
            fail(context + " after " + acknowledged + " acknowledged operations: " + describeDifference(acked, actual));
        }
        return actual;
    }

    /** The crash point the child reported before halting, or null. */
    static String crashPoint(Path childOutput) throws IOException {
        for (String line : Files.readAllLines(childOutput, StandardCharsets.UTF_8)) {
            if (line.startsWith("crash-point ")) {
                return line.substring("crash-point ".length());
            }
        }
        return null;
    }

    /** The child's operations: batches of 10,000 from a seed that advances per batch. */
    static List<CrashWriter.Op> opsOfChild(long seed, int count) {
        List<CrashWriter.Op> ops = new ArrayList<>(count);
        long batchSeed = seed;
        while (ops.size() < count) {
            List<CrashWriter.Op> batch = CrashWriter.ops(batchSeed, 10_000);
            ops.addAll(batch.subList(0, Math.min(batch.size(), count - ops.size())));
            batchSeed = batchSeed * 31 + 1;
        }
        return ops;
    }

    static Map<String, String> apply(Map<String, String> state, List<CrashWriter.Op> ops) {
        Map<String, String> next = new HashMap<>(state);
        for (CrashWriter.Op op : ops) {
            if (op.batch() != null) {
                next = apply(next, op.batch());
            } else if (op.value() == null) {
                next.remove(op.key());
            } else {
                next.put(op.key(), op.value());
            }
        }
        return next;
    }

    /** The operations acknowledged in the child's output: complete {@code ack N} lines only. */
    static int countAcks(Path output) throws IOException {
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

    /** The first few differences, kept short enough to read in a test report. */
    static String describeDifference(Map<String, String> expected, Map<String, String> actual) {
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
