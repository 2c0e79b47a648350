package io.kvs.core.log;

import io.kvs.core.KeyNotFoundException;
import io.kvs.core.KvStoreOptions;
import io.kvs.core.KvsException;
import io.kvs.core.SyncPolicy;
import io.kvs.core.TestDirs;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The I/O-error sweep: the same workload (sets, removes, segment rolls, compactions, reopens)
 * runs again and again, with the k-th file operation failing (once, or from then on) for
 * k = 1, 2, … until a run completes without reaching k. An operation that throws is not
 * acknowledged (it may or may not have reached the log); everything acknowledged must be there
 * after a reopen with healthy I/O, which also replays and checks the whole log.
 */
class IoErrorSweepTest {

    private static final KvStoreOptions OPTIONS = KvStoreOptions.defaults()
            .withSegmentBytes(KvStoreOptions.SEGMENT_BYTES_MIN)
            .withCompactionThresholdBytes(Long.MAX_VALUE)
            .withSyncPolicy(SyncPolicy.ALWAYS);
    private static final int OPERATIONS = 120;
    private static final int KEYS = 12;

    @TempDir
    Path work;

    @ParameterizedTest(name = "persistent={0}")
    @ValueSource(booleans = {false, true})
    void everyFailedFileOperationLeavesAConsistentStore(boolean persistent) {
        int failAt = 1;
        int injected = 0;
        while (true) {
            Path dir = work.resolve("k" + failAt + (persistent ? "p" : "o"));
            FaultyIo io = new FaultyIo(failAt, persistent);
            Expectation expected = runWorkload(dir, io);
            if (!io.failed()) {
                break; // the k-th operation was never reached: the sweep is complete
            }
            injected++;
            Map<String, String> recovered = new HashMap<>();
            try (KvStore store = KvStore.open(dir, OPTIONS)) {
                for (int k = 0; k < KEYS; k++) {
                    String key = "k" + k;
                    store.get(key).ifPresent(v -> recovered.put(key, v));
                }
                assertEquals(recovered.size(), store.size(), "keys outside the key space");
            } catch (KvsException e) {
                throw new AssertionError("failure at operation " + failAt + ": reopen failed: " + e, e);
            }
            expected.check(recovered, "failure at operation " + failAt + (persistent ? " and after" : ""));
            TestDirs.delete(dir);
            failAt++;
        }
        System.out.printf("[io errors] persistent=%b: failed operation k = 1 .. %d (each in its own run), every reopen consistent%n",
                persistent, injected);
        assertTrue(injected > 20, "only " + injected + " failures injected");
    }

    /** What the store may hold per key: the acknowledged value, or a value of a later failed write. */
    private static final class Expectation {
        final Map<String, Optional<String>> acknowledged = new HashMap<>();
        final Map<String, Set<Optional<String>>> maybe = new HashMap<>();

        void acknowledged(String key, Optional<String> value) {
            acknowledged.put(key, value);
            maybe.remove(key);
        }

        void failed(String key, Optional<String> value) {
            maybe.computeIfAbsent(key, k -> new HashSet<>()).add(value);
        }

        void check(Map<String, String> recovered, String context) {
            for (int k = 0; k < KEYS; k++) {
                String key = "k" + k;
                Optional<String> actual = Optional.ofNullable(recovered.get(key));
                Optional<String> acked = acknowledged.getOrDefault(key, Optional.empty());
                if (!actual.equals(acked) && !maybe.getOrDefault(key, Set.of()).contains(actual)) {
                    fail(context + ": " + key + " holds " + actual + ", acknowledged " + acked
                            + ", failed writes " + maybe.getOrDefault(key, Set.of()));
                }
            }
        }
    }

    private static Expectation runWorkload(Path dir, FaultyIo io) {
        Expectation expected = new Expectation();
        Random random = new Random(5);
        KvStore store = null;
        for (int i = 0; i < OPERATIONS; i++) {
            try {
                if (store == null) {
                    store = KvStore.open(dir, OPTIONS, io);
                }
                String key = "k" + random.nextInt(KEYS);
                int action = random.nextInt(20);
                if (action == 0) {
                    store.compact();
                } else if (action == 1) {
                    store.close();
                    store = null;
                } else if (action < 6) {
                    try {
                        store.remove(key);
                        expected.acknowledged(key, Optional.empty());
                    } catch (KeyNotFoundException e) {
                        // nothing written
                    } catch (KvsException e) {
                        expected.failed(key, Optional.empty());
                    }
                } else {
                    String value = "v" + i + "-" + "x".repeat(random.nextInt(200));
                    try {
                        store.set(key, value);
                        expected.acknowledged(key, Optional.of(value));
                    } catch (KvsException e) {
                        expected.failed(key, Optional.of(value));
                    }
                }
            } catch (KvsException e) {
                // open, close or compact failed: the store stays usable or is reopened next time
                if (store != null) {
                    try {
                        store.close();
                    } catch (KvsException ignored) {
                        // closing after a failure may fail too
                    }
                    store = null;
                }
            }
        }
        if (store != null) {
            try {
                store.close();
            } catch (KvsException ignored) {
                // the reopen below is the check
            }
        }
        return expected;
    }
}
