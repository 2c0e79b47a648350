package io.kvs.core.log;

import io.kvs.core.KvStoreOptions;
import io.kvs.core.SyncPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Under {@code EVERY_SECOND}, a write that fills the active segment rolls to a new one and goes
 * on: the seal and force of the segment it left behind (up to a second of writes to push to the
 * device) run on the syncer's thread. A server's event loop that waited for them stalled every
 * connection it serves. The forces are held on a latch here, so a writer that still waited for
 * one would never finish its writes.
 */
class BackgroundRollTest {

    private static final KvStoreOptions OPTIONS = KvStoreOptions.defaults()
            .withSegmentBytes(64 * 1024)
            .withCompactionThresholdBytes(Long.MAX_VALUE)
            .withSyncPolicy(SyncPolicy.EVERY_SECOND);

    @TempDir
    Path dir;

    @Test
    void writerThatRollsDoesNotWaitForTheForceOfTheSegmentItLeft() throws Exception {
        HeldForces io = new HeldForces();
        String value = "v".repeat(1000);
        ExecutorService writer = Executors.newSingleThreadExecutor(r -> new Thread(r, "test-writer"));
        try (KvStore store = KvStore.open(dir, OPTIONS, io)) {
            Future<Integer> writes = writer.submit(() -> {
                int n = 0;
                // Three rolls at least: every one of them would force the segment it left.
                while (SegmentFiles.list(dir).size() < 4) {
                    store.set("k" + n, value + n);
                    n++;
                }
                return n;
            });
            int written;
            try {
                written = writes.get(60, TimeUnit.SECONDS);
                assertTrue(io.entered.await(60, TimeUnit.SECONDS), "a force started while the writes went on");
                assertFalse(io.threads.contains("test-writer"), "the writer forced nothing: " + io.threads);
            } finally {
                io.release.countDown();
            }
            for (int i = 0; i < written; i++) {
                assertEquals(Optional.of(value + i), store.get("k" + i));
            }
        } finally {
            io.release.countDown();
            writer.shutdownNow();
        }
        List<Long> ids = SegmentFiles.list(dir);
        for (long id : ids.subList(0, ids.size() - 1)) {
            Path file = SegmentFiles.path(dir, id);
            assertTrue(SegmentHeader.parse(Segment.readHeader(file), file).sealed(),
                    "segment " + id + " was sealed before the store closed");
        }
    }

    /** Real file operations, except that every force waits until {@link #release} opens. */
    private static final class HeldForces implements LogIo {
        final CountDownLatch release = new CountDownLatch(1);
        final CountDownLatch entered = new CountDownLatch(1);
        final Set<String> threads = ConcurrentHashMap.newKeySet();

        @Override
        public void force(FileChannel channel, Path file, long dataLength) throws IOException {
            threads.add(Thread.currentThread().getName());
            entered.countDown();
            try {
                if (!release.await(120, TimeUnit.SECONDS)) {
                    throw new IOException("force held too long");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
            LogIo.REAL.force(channel, file, dataLength);
        }
    }
}
