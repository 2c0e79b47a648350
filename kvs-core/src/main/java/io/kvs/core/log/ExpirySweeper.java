package io.kvs.core.log;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The active expiry sweep: a daemon thread that, ten times a second, removes keys whose expiry
 * has come from the index, a bounded number per turn of the writer lock, so that memory and
 * {@code size} do not keep dead keys that nobody reads. Reads never need it: an expired key is
 * gone for every read at once. Due times are those of the engine's clock; the thread only
 * decides when to look.
 */
final class ExpirySweeper implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ExpirySweeper.class);
    /** How often the sweep looks for due keys. */
    static final long INTERVAL_MILLIS = 100;
    /** Keys reclaimed per turn of the writer lock. */
    static final int KEYS_PER_TURN = 1000;

    /** Reclaims due keys: at most {@code budget}, returns how many. */
    @FunctionalInterface
    interface Reclaim {
        int reclaim(int budget);
    }

    private final Thread thread;
    private volatile boolean stopping;

    ExpirySweeper(ExpiryIndex expiry, Clock clock, Reclaim reclaim, String name) {
        this.thread = new Thread(() -> run(expiry, clock, reclaim), "kvs-expiry-" + name);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private void run(ExpiryIndex expiry, Clock clock, Reclaim reclaim) {
        while (!stopping) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(INTERVAL_MILLIS));
            try {
                while (!stopping && expiry.earliestDueMillis() <= clock.millis()
                        && reclaim.reclaim(KEYS_PER_TURN) == KEYS_PER_TURN) {
                    Thread.yield();
                }
            } catch (RuntimeException e) {
                LOG.error("expiry sweep failed (expired keys stay invisible; retried in {} ms): {}",
                        INTERVAL_MILLIS, e.getMessage(), e);
            }
        }
    }

    @Override
    public void close() {
        stopping = true;
        LockSupport.unpark(thread);
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
