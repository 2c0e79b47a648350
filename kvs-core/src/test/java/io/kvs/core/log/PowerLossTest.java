package io.kvs.core.log;

import io.kvs.core.KeyNotFoundException;
import io.kvs.core.KvStoreOptions;
import io.kvs.core.SyncPolicy;
import io.kvs.core.TestDirs;
import io.kvs.core.WriteBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Power loss, simulated: the log's file operations go through a {@link SimulatedDisk} that knows
 * what has been forced. At a random moment the directory is imaged as a power loss would leave
 * it, and the image is opened. It must open every time and hold exactly the state after some
 * prefix of the operations (nothing that was never written, nothing resurrected, no holes, no
 * part of a batch without the rest; some sets carry an expiry; reused segment files keep their
 * earlier records past what was forced):
 * every acknowledged operation under {@code ALWAYS}; under {@code EVERY_SECOND}, every operation
 * acknowledged more than {@value #EVERY_SECOND_WINDOW_MILLIS} ms before the power went (the sync
 * interval plus the time a sync takes). Trials: {@value #TRIALS_PROP_NAME}.
 */
class PowerLossTest {

    static final String TRIALS_PROP_NAME = "kvs.powerloss.trials";
    /** What EVERY_SECOND may lose: the last interval, plus the time its sync takes. */
    static final long EVERY_SECOND_WINDOW_MILLIS = 2000;

    private static final KvStoreOptions SMALL = KvStoreOptions.defaults()
            .withSegmentBytes(KvStoreOptions.SEGMENT_BYTES_MIN)
            .withCompactionThresholdBytes(2048)
            .withCompactionMinStaleRatio(0.3);
    private static final int KEYS = 40;

    @TempDir
    Path work;

    /** A set (value non-null) or remove of one key. */
    private record Write(String key, String value) {
    }

    /** One acknowledged operation: one write, or several written as one atomic batch. */
    private record Op(List<Write> writes) {
    }

    @Test
    void alwaysKeepsEveryAcknowledgedOperation() {
        int trials = Integer.getInteger(TRIALS_PROP_NAME, 150);
        run(SyncPolicy.ALWAYS, trials, 0);
    }

    @Test
    void everySecondLosesAtMostTheLastInterval() {
        int trials = Math.max(2, Integer.getInteger(TRIALS_PROP_NAME, 150) / 75);
        run(SyncPolicy.EVERY_SECOND, trials, 1);
    }

    @Test
    void neverStillOpensToAPrefixState() {
        run(SyncPolicy.NEVER, Math.max(10, Integer.getInteger(TRIALS_PROP_NAME, 150) / 5), 0);
    }

    private static String describeManifest(Path image) {
        try {
            return String.valueOf(Manifest.read(image).orElse(null));
        } catch (RuntimeException e) {
            return "manifest unreadable: " + e.getMessage();
        }
    }

    /**
     * A compaction leaves out an input record that a newer, not yet forced record replaced; if it
     * then deleted the input before that newer record was durable, a power loss would lose both.
     */
    @Test
    void compactionDoesNotDeleteAnInputBeforeTheRecordThatReplacedItIsDurable() {
        Path dir = work.resolve("replaced");
        Path image = work.resolve("replaced-image");
        SimulatedDisk disk = new SimulatedDisk();
        KvStoreOptions options = SMALL.withSyncPolicy(SyncPolicy.EVERY_SECOND).withCompactionThresholdBytes(Long.MAX_VALUE);
        try (KvStore store = KvStore.open(dir, options, disk)) {
            store.set("k", "old");
            for (int i = 0; i < 40; i++) {
                store.set("filler" + i, "x".repeat(200));
            }
            store.compact();
            // Forced by the compaction above: "old" sits in a sealed, durable segment. The next
            // compaction records its output range in the manifest before it copies anything:
            // "new" is written then, to the new active segment, which is not forced yet.
            disk.afterNextReplace(() -> store.set("k", "new"));
            store.compact();
            disk.powerLossImage(dir, image);
        }
        try (KvStore reopened = KvStore.open(image, SMALL.withSyncPolicy(SyncPolicy.NEVER))) {
            assertTrue(reopened.get("k").isPresent(), "k lost both its old and its new value");
        }
    }

    /** {@code pauseMillis} between operations lets the every-second sync run during a trial. */
    private void run(SyncPolicy policy, int trials, int pauseMillis) {
        Random random = new Random(policy.ordinal() * 1000L + 17);
        long forces = 0;
        long reused = 0;
        long operations = 0;
        long lost = 0;
        long mostLost = 0;
        for (int trial = 0; trial < trials; trial++) {
            Path dir = work.resolve(policy + "-" + trial);
            Path image = work.resolve(policy + "-" + trial + "-image");
            SimulatedDisk disk = new SimulatedDisk();
            List<Op> ops = new ArrayList<>();
            int crashAfter = pauseMillis > 0 ? 3000 + random.nextInt(600) : 1 + random.nextInt(400);
            List<Long> ackedAtNanos = new ArrayList<>();
            long ackedBeforeWindow = 0;
            KvStore store = KvStore.open(dir, SMALL.withSyncPolicy(policy), disk);
            try {
                for (int i = 0; i < crashAfter; i++) {
                    if (random.nextInt(6) == 0) {
                        // An atomic batch: after the power loss it is there whole or not at all.
                        List<Write> writes = new ArrayList<>();
                        WriteBatch batch = new WriteBatch();
                        for (int j = 2 + random.nextInt(4); j > 0; j--) {
                            String key = "k" + random.nextInt(KEYS);
                            if (random.nextInt(4) == 0) {
                                batch.delete(key.getBytes(StandardCharsets.UTF_8));
                                writes.add(new Write(key, null));
                            } else {
                                String value = "b" + trial + "-" + i + "-" + j + "x".repeat(random.nextInt(100));
                                batch.set(key.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8),
                                        CrashWriter.FAR_EXPIRY_MILLIS);
                                writes.add(new Write(key, value));
                            }
                        }
                        store.write(batch);
                        ops.add(new Op(writes));
                    } else if (random.nextInt(4) == 0) {
                        String key = "k" + random.nextInt(KEYS);
                        try {
                            store.remove(key);
                        } catch (KeyNotFoundException e) {
                            // no change, and no record written
                        }
                        ops.add(new Op(List.of(new Write(key, null))));
                    } else {
                        String key = "k" + random.nextInt(KEYS);
                        String value = "v" + trial + "-" + i + "-" + "x".repeat(random.nextInt(300));
                        store.set(key, value);
                        ops.add(new Op(List.of(new Write(key, value))));
                    }
                    ackedAtNanos.add(System.nanoTime());
                    if (pauseMillis > 0) {
                        sleep(pauseMillis);
                    }
                    if (random.nextInt(60) == 0) {
                        store.compact();
                    }
                }
                disk.powerLossImage(dir, image);
                long windowStart = System.nanoTime() - EVERY_SECOND_WINDOW_MILLIS * 1_000_000;
                ackedBeforeWindow = ackedAtNanos.stream().filter(t -> t < windowStart).count();
            } finally {
                store.close();
            }
            forces += disk.forces();
            reused += disk.reusedFiles();
            long mustKeep = switch (policy) {
                case ALWAYS -> ops.size();
                case EVERY_SECOND -> ackedBeforeWindow;
                case NEVER -> 0;
            };
            Map<String, String> recovered = new HashMap<>();
            try (KvStore reopened = KvStore.open(image, SMALL.withSyncPolicy(SyncPolicy.NEVER))) {
                for (int k = 0; k < KEYS; k++) {
                    String key = "k" + k;
                    reopened.get(key).ifPresent(v -> recovered.put(key, v));
                }
                if (reopened.size() != recovered.size()) {
                    fail("trial " + trial + ": keys outside the key space after power loss");
                }
            } catch (RuntimeException e) {
                throw new AssertionError(policy + " trial " + trial + ": the image does not open: " + e
                        + "; segments " + SegmentFiles.list(image) + ", " + describeManifest(image), e);
            }
            int prefix = matchingPrefix(ops, recovered);
            if (prefix < 0) {
                fail(policy + " trial " + trial + ": recovered state is no prefix of the " + ops.size() + " operations");
            }
            assertTrue(prefix >= mustKeep, policy + " trial " + trial + ": kept " + prefix
                    + " operations, must keep at least " + mustKeep);
            operations += ops.size();
            lost += ops.size() - prefix;
            mostLost = Math.max(mostLost, ops.size() - prefix);
            TestDirs.delete(dir);
            TestDirs.delete(image);
        }
        System.out.printf("[power loss] %s: %d trials, %d operations acknowledged, %d lost (at most %d in one trial),"
                + " %d forces simulated, %d retired files reused; every image opened to a prefix state%n", policy, trials,
                operations, lost, mostLost, forces, reused);
        assertTrue(reused > 0, "no retired segment's file was ever reused");
        if (policy != SyncPolicy.NEVER) {
            assertTrue(forces > 0, "no force was ever simulated");
        }
    }

    /** The largest n such that applying the first n operations gives {@code state}, or -1. */
    private static int matchingPrefix(List<Op> ops, Map<String, String> state) {
        Map<String, String> model = new HashMap<>();
        int match = model.equals(state) ? 0 : -1;
        for (int i = 0; i < ops.size(); i++) {
            for (Write write : ops.get(i).writes()) {
                if (write.value() == null) {
                    model.remove(write.key());
                } else {
                    model.put(write.key(), write.value());
                }
            }
            if (model.equals(state)) {
                match = i + 1;
            }
        }
        return match;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
