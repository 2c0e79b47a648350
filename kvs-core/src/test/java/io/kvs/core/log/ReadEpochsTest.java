package io.kvs.core.log;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Forces the one interleaving that matters for {@link ReadEpochs}: a reader that has read the
 * epoch but not yet counted itself while an awaiter switches the epoch. Deterministic: the
 * reader is held at the racy point by the test seam, not by luck.
 */
class ReadEpochsTest {

    private static final Duration DEADLINE = Duration.ofSeconds(20);

    @Test
    void readerDescheduledBetweenEpochReadAndIncrementIsWaitedForByTheNextAwaiter() throws Exception {
        CountDownLatch epochRead = new CountDownLatch(1);
        CountDownLatch proceed = new CountDownLatch(1);
        AtomicBoolean first = new AtomicBoolean(true);
        ReadEpochs epochs = new ReadEpochs(() -> {
            if (first.getAndSet(false)) {
                epochRead.countDown();
                Latches.await(proceed);
            }
        });
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch leave = new CountDownLatch(1);
        AtomicInteger token = new AtomicInteger();
        Thread reader = new Thread(() -> {
            token.set(epochs.enter());
            entered.countDown();
            Latches.await(leave);
            epochs.exit(token.get());
        }, "reader");
        reader.start();

        Latches.await(epochRead);
        // The reader has read the epoch and is not counted yet: this awaiter need not wait for it.
        epochs.awaitReaders();
        proceed.countDown();
        Latches.await(entered);

        assertEquals(1, epochs.readersOfCurrentEpoch(),
                "the reader must be counted in the parity the next awaiter waits on");

        Thread awaiter = new Thread(epochs::awaitReaders, "awaiter");
        awaiter.start();
        Thread.State state = pollUntilParkedOrDone(awaiter);
        assertNotEquals(Thread.State.TERMINATED, state,
                "awaitReaders returned while a reader that entered before it was still reading");

        leave.countDown();
        awaiter.join(DEADLINE.toMillis());
        reader.join(DEADLINE.toMillis());
        assertTrue(!awaiter.isAlive() && !reader.isAlive(), "awaiter returns once the reader exits");
    }

    @Test
    void awaitReadersReturnsAtOnceWithoutReaders() {
        ReadEpochs epochs = new ReadEpochs();
        int token = epochs.enter();
        epochs.exit(token);
        epochs.awaitReaders();
        epochs.awaitReaders();
        assertEquals(0, epochs.readersOfCurrentEpoch());
    }

    private static Thread.State pollUntilParkedOrDone(Thread thread) throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (System.nanoTime() < deadline) {
            Thread.State state = thread.getState();
            if (state == Thread.State.TIMED_WAITING || state == Thread.State.TERMINATED) {
                return state;
            }
            Thread.onSpinWait();
        }
        throw new AssertionError("awaiter neither parked nor finished within " + DEADLINE);
    }
}
