package io.kvs.core.log;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Waiting on a latch in tests that force an interleaving: a deadline, never a hang. */
final class Latches {

    /** How long a test waits for another thread to reach a point. */
    static final long DEADLINE_SECONDS = 30;

    private Latches() {
    }

    /** Returns once {@code latch} opens; fails the test after {@link #DEADLINE_SECONDS}. */
    static void await(CountDownLatch latch) {
        try {
            if (!latch.await(DEADLINE_SECONDS, TimeUnit.SECONDS)) {
                throw new AssertionError("timed out waiting for the other thread");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
