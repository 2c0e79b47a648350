package io.kvs.core.log;

import io.kvs.core.KvStoreOptions;
import io.kvs.core.SyncPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Readers, writers and back-to-back compactions at once for a few seconds: no crash (a reader
 * touching an unmapped segment would kill the JVM), no wrong or stale-going-backwards value, and
 * after close no file handle or mapping left on the directory.
 */
class ConcurrentCompactionStressTest {

    private static final int KEYS = 400;
    private static final int WRITERS = 2;
    private static final int READERS = 3;
    private static final long RUN_MILLIS = 3000;
    /** The run goes on past RUN_MILLIS until this many compactions and reads, at most MAX_RUN_MILLIS. */
    private static final long MIN_COMPACTIONS = 10;
    private static final long MIN_READS = 1000;
    private static final long MAX_RUN_MILLIS = 60_000;

    @TempDir
    Path dir;

    @Test
    void readersWritersAndContinuousCompactionAgreeAndLeakNothing() throws Exception {
        KvStoreOptions options = KvStoreOptions.defaults()
                .withSegmentBytes(16 * 1024)
                .withCompactionThresholdBytes(8 * 1024)
                .withCompactionMinStaleRatio(0)
                .withSyncPolicy(SyncPolicy.NEVER);
        KvStore store = KvStore.open(dir, options);
        // Writer w owns the keys with index % WRITERS == w and writes increasing versions.
        AtomicLongArray written = new AtomicLongArray(KEYS);
        AtomicBoolean stop = new AtomicBoolean();
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        AtomicLong reads = new AtomicLong();
        AtomicLong compactions = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            int writer = w;
            threads.add(new Thread(() -> {
                long version = 0;
                while (!stop.get()) {
                    version++;
                    for (int k = writer; k < KEYS; k += WRITERS) {
                        String padding = "p".repeat(ThreadLocalRandom.current().nextInt(64));
                        store.set("key" + k, "key" + k + ":" + version + ":" + padding);
                        written.set(k, version);
                    }
                }
            }, "writer-" + w));
        }
        for (int r = 0; r < READERS; r++) {
            threads.add(new Thread(() -> {
                long[] seen = new long[KEYS];
                ThreadLocalRandom random = ThreadLocalRandom.current();
                while (!stop.get()) {
                    int k = random.nextInt(KEYS);
                    long floor = written.get(k);
                    Optional<String> value = store.get("key" + k);
                    if (value.isEmpty()) {
                        if (floor > 0) {
                            throw new AssertionError("key" + k + " vanished after version " + floor);
                        }
                        continue;
                    }
                    String[] parts = value.get().split(":");
                    assertEquals("key" + k, parts[0], "value of another key");
                    long version = Long.parseLong(parts[1]);
                    assertTrue(version >= floor, () -> "key" + k + " went back to " + version + " from " + floor);
                    assertTrue(version >= seen[k], () -> "key" + k + " went back to " + version);
                    seen[k] = version;
                    reads.incrementAndGet();
                }
            }, "reader-" + r));
        }
        threads.add(new Thread(() -> {
            while (!stop.get()) {
                store.compact();
                compactions.incrementAndGet();
            }
        }, "compactor"));
        for (Thread thread : threads) {
            thread.setUncaughtExceptionHandler((t, e) -> failures.add(e));
            thread.start();
        }
        // At least RUN_MILLIS, and on a slow machine on until enough compactions and reads have
        // overlapped (bounded: a store that stops compacting or reading fails below).
        long start = System.nanoTime();
        long deadline = start + TimeUnit.MILLISECONDS.toNanos(MAX_RUN_MILLIS);
        while (failures.isEmpty() && System.nanoTime() - deadline < 0
                && (System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(RUN_MILLIS)
                    || compactions.get() <= MIN_COMPACTIONS || reads.get() <= MIN_READS)) {
            Thread.sleep(50);
        }
        stop.set(true);
        for (Thread thread : threads) {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        }
        if (!failures.isEmpty()) {
            fail("failures: " + failures.peek(), failures.peek());
        }
        assertTrue(compactions.get() > MIN_COMPACTIONS, "compactions: " + compactions);
        assertTrue(reads.get() > MIN_READS, "reads: " + reads);
        for (int k = 0; k < KEYS; k++) {
            String value = store.get("key" + k).orElseThrow();
            assertEquals(written.get(k), Long.parseLong(value.split(":")[1]));
        }
        store.close();

        assertNoHandlesOrMappingsOn(dir);
        try (KvStore reopened = KvStore.open(dir, options)) {
            for (int k = 0; k < KEYS; k++) {
                assertEquals(written.get(k), Long.parseLong(reopened.get("key" + k).orElseThrow().split(":")[1]));
            }
        }
        assertNoHandlesOrMappingsOn(dir);
    }

    /** Polls until no file descriptor or memory mapping of this process refers to {@code dir}. */
    static void assertNoHandlesOrMappingsOn(Path dir) throws IOException, InterruptedException {
        String prefix = dir.toRealPath().toString() + "/";
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        List<String> leaks;
        do {
            leaks = new ArrayList<>();
            for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
                if (line.contains(prefix)) {
                    leaks.add("mapping " + line.substring(line.indexOf('/')));
                }
            }
            try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
                for (Path fd : (Iterable<Path>) fds::iterator) {
                    try {
                        String target = Files.readSymbolicLink(fd).toString();
                        if (target.startsWith(prefix)) {
                            leaks.add("fd " + target);
                        }
                    } catch (IOException ignored) {
                        // The descriptor closed while listing.
                    }
                }
            }
            if (leaks.isEmpty()) {
                return;
            }
            Thread.sleep(20);
        } while (System.nanoTime() < deadline);
        fail("left open after close: " + leaks);
    }
}
