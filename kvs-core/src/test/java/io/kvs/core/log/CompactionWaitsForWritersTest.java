package io.kvs.core.log;

import io.kvs.core.KvStoreOptions;
import io.kvs.core.SyncPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Writers read the segments of the records they replace without a read epoch, under the writer
 * lock; so compaction must not unmap its inputs while a writer holds that lock. The interleaving
 * is forced: when compaction lists its inputs as obsolete (the manifest replace after its copy),
 * a stand-in writer takes the writer lock and holds it; compaction must then wait, with every
 * input file still there, until the writer lets go.
 */
class CompactionWaitsForWritersTest {

    private static final KvStoreOptions OPTIONS = KvStoreOptions.defaults()
            .withSegmentBytes(KvStoreOptions.SEGMENT_BYTES_MIN)
            .withCompactionThresholdBytes(Long.MAX_VALUE)
            .withSyncPolicy(SyncPolicy.NEVER);

    @TempDir
    Path dir;

    @Test
    void compactionDoesNotUnmapItsInputsWhileAWriterHoldsTheWriterLock() throws Exception {
        SimulatedDisk disk = new SimulatedDisk();
        try (KvStore store = KvStore.open(dir, OPTIONS, disk)) {
            for (int i = 0; i < 200; i++) {
                store.set("k" + (i % 50), "v" + i + "x".repeat(40));
            }
            List<Long> inputs = SegmentFiles.list(dir);
            assertTrue(inputs.size() > 2, "several segments to compact: " + inputs);
            ReentrantLock writeLock = store.writeLock();
            CountDownLatch held = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Thread writer = new Thread(() -> {
                writeLock.lock();
                try {
                    held.countDown();
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    writeLock.unlock();
                }
            });
            // First replace: the compaction's output range; second: its inputs listed as obsolete.
            disk.afterNextReplace(() -> disk.afterNextReplace(() -> {
                writer.start();
                Latches.await(held);
            }));
            BackgroundCompaction compaction = BackgroundCompaction.start(store);
            Thread compactor = compaction.thread();
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (!writeLock.hasQueuedThread(compactor) && compactor.isAlive() && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
                assertTrue(writeLock.hasQueuedThread(compactor), "compaction waits for the writer lock");
                for (long id : inputs) {
                    assertTrue(Files.exists(SegmentFiles.path(dir, id)), "input " + id + " is still there");
                }
            } finally {
                // Whatever happened, the stand-in writer lets go, so the store can close.
                release.countDown();
                compactor.join(TimeUnit.SECONDS.toMillis(Latches.DEADLINE_SECONDS));
                writer.join(TimeUnit.SECONDS.toMillis(Latches.DEADLINE_SECONDS));
            }
            compaction.finish();
            for (long id : inputs) {
                assertTrue(!Files.exists(SegmentFiles.path(dir, id)), "input " + id + " is deleted once the writer is done");
            }
            for (int k = 0; k < 50; k++) {
                assertTrue(store.get("k" + k).isPresent(), "k" + k);
            }
            assertEquals(Optional.of("v199" + "x".repeat(40)), store.get("k49"));
        }
    }
}
