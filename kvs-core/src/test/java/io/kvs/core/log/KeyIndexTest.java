package io.kvs.core.log;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link KeyIndex}'s sequence per shard, with the interleavings forced: a reader never returns a
 * value read while a mutation is under way, and a pass over a shard that every mutation
 * interrupts is taken back and made again under the writer lock.
 */
class KeyIndexTest {

    private static final long HASH = 0x1234_5678_9ABC_DEF0L;

    private final ReentrantLock writerLock = new ReentrantLock();
    private final KeyIndex index = new KeyIndex(writerLock);
    private final int shard = KeyIndex.shardOf(HASH);
    /** The smallest hash of {@link #shard}: ten hashes from it on are at locations 100 to 109. */
    private long base;

    @BeforeEach
    void fillShard() {
        base = KeyIndex.shardStart(shard);
        for (int i = 9; i >= 0; i--) {
            index.put(base + i, 100 + i);
        }
    }

    @Test
    void readerWaitsOutAMutationUnderWayAndSeesItsResult() throws Exception {
        index.put(HASH, 1);
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        // The key check of putIfSameKey runs in the middle of the mutation: the shard is odd there.
        CompletableFuture<Long> writer = CompletableFuture.supplyAsync(() ->
                index.putIfSameKey(HASH, 2, new byte[0], 0, 0, (location, key, offset, length) -> {
                    inside.countDown();
                    Latches.await(release);
                    return true;
                }));
        assertTrue(inside.await(10, TimeUnit.SECONDS), "the writer reached its key check");

        CompletableFuture<Long> reader = CompletableFuture.supplyAsync(() -> index.get(HASH));
        // The only way to show that something does not happen: it has not, a while later.
        assertFalse(completesWithin(reader, 200), "a read during the mutation waits for its end");
        release.countDown();
        assertEquals(1L, writer.get(10, TimeUnit.SECONDS), "the location it replaced");
        assertEquals(2L, reader.get(10, TimeUnit.SECONDS), "the read sees the finished mutation");
    }

    @Test
    void passInterruptedByEveryMutationIsRepeatedUnderTheWriterLock() {
        List<Boolean> lockHeldPerPass = new ArrayList<>();
        long[] next = {200};
        KeyIndex.LocationSink sink = new KeyIndex.LocationSink() {
            final List<Long> received = new ArrayList<>();

            @Override
            public void accept(long location) {
                if (received.isEmpty() || received.size() == 10) {
                    // First location of a pass: mutate the shard, unless the pass holds the lock.
                    boolean locked = writerLock.isHeldByCurrentThread();
                    lockHeldPerPass.add(locked);
                    if (!locked) {
                        index.put(base + 50, next[0]++);
                        index.remove(base + 50);
                    }
                }
                received.add(location);
            }

            @Override
            public int received() {
                return received.size();
            }

            @Override
            public void truncate(int count) {
                received.subList(count, received.size()).clear();
            }
        };
        index.locations(shard, location -> true, sink);

        List<Boolean> expectedPasses = new ArrayList<>();
        for (int i = 0; i < KeyIndex.OPTIMISTIC_PASSES; i++) {
            expectedPasses.add(false);
        }
        expectedPasses.add(true);
        assertEquals(expectedPasses, lockHeldPerPass, "optimistic passes, then one under the writer lock");
        assertEquals(10, sink.received(), "each location once: the failed passes were taken back");
        assertFalse(writerLock.isLocked());
    }

    @Test
    void collectOfAQuietShardNeedsNoLock() {
        long[] hashes = new long[4];
        long[] locations = new long[4];
        // Held by another thread: a pass that needed the lock would never return.
        CountDownLatch locked = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        Thread holder = new Thread(() -> {
            writerLock.lock();
            try {
                locked.countDown();
                Latches.await(done);
            } finally {
                writerLock.unlock();
            }
        });
        holder.start();
        Latches.await(locked);
        try {
            assertEquals(4, index.collect(shard, base + 3, 4, hashes, locations));
        } finally {
            done.countDown();
        }
        for (int i = 0; i < 4; i++) {
            assertEquals(base + 3 + i, hashes[i]);
            assertEquals(103 + i, locations[i]);
        }
    }

    private static boolean completesWithin(CompletableFuture<?> future, long millis) throws InterruptedException {
        try {
            future.get(millis, TimeUnit.MILLISECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException e) {
            return false;
        } catch (java.util.concurrent.ExecutionException e) {
            throw new AssertionError(e.getCause());
        }
    }
}
