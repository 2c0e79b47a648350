package io.kvs.core.log;

import io.kvs.core.KvStoreOptions;
import io.kvs.core.SyncPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The compactor moves index entries to their copies under the writer lock, but while writers
 * are busy it does not take that lock itself: a compactor that lost its core while holding it
 * made every writer wait for the scheduler. It hands each batch of moves to the next writer,
 * which applies it before it lets go of the lock. The interleaving is forced: a stand-in writer
 * holds the lock for the whole copy and writes only when a batch is pending; the copy must
 * still finish, every batch applied by that writer.
 */
class CompactionHandsMovesToWritersTest {

    private static final KvStoreOptions OPTIONS = KvStoreOptions.defaults()
            .withSegmentBytes(64 * 1024)
            .withCompactionThresholdBytes(Long.MAX_VALUE)
            .withSyncPolicy(SyncPolicy.NEVER);
    private static final int KEYS = 600;

    @TempDir
    Path dir;

    @Test
    void writersApplyTheCompactorsIndexMovesWhileTheyHoldTheWriterLock() throws Exception {
        SimulatedDisk disk = new SimulatedDisk();
        try (KvStore store = KvStore.open(dir, OPTIONS, disk)) {
            for (int i = 0; i < 3 * KEYS; i++) {
                store.set("k" + (i % KEYS), "v" + i + "x".repeat(60));
            }
            ReentrantLock writeLock = store.writeLock();
            CountDownLatch copying = new CountDownLatch(1);
            CountDownLatch held = new CountDownLatch(1);
            CountDownLatch copied = new CountDownLatch(1);
            // First replace: the compaction's output range (the copy comes next); second: its
            // inputs listed as obsolete (the copy is done).
            disk.afterNextReplace(() -> {
                copying.countDown();
                Latches.await(held);
                disk.afterNextReplace(copied::countDown);
            });
            BackgroundCompaction compaction = BackgroundCompaction.start(store);
            Latches.await(copying);
            int writes = 0;
            writeLock.lock();
            try {
                held.countDown();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Latches.DEADLINE_SECONDS);
                while (copied.getCount() > 0 && compaction.isAlive() && System.nanoTime() < deadline) {
                    if (store.compactorMovesPending()) {
                        // Reentrant: this thread already holds the lock, as a writer would.
                        store.set("writer" + writes, "w" + writes);
                        writes++;
                    } else {
                        Thread.onSpinWait();
                    }
                }
                assertEquals(0, copied.getCount(), "the copy finished while a writer held the lock");
            } finally {
                writeLock.unlock();
            }
            compaction.finish();
            assertEquals(1, store.compactions());
            long batches = (KEYS + Compactor.MOVE_BATCH - 1) / Compactor.MOVE_BATCH;
            assertEquals(batches, store.movesAppliedByWriters(), "every batch applied by the writer");
            assertEquals(batches, writes);
            for (int k = 0; k < KEYS; k++) {
                int last = 2 * KEYS + k;
                assertEquals(Optional.of("v" + last + "x".repeat(60)), store.get("k" + k));
            }
            for (int w = 0; w < writes; w++) {
                assertEquals(Optional.of("w" + w), store.get("writer" + w));
            }
        }
    }
}
