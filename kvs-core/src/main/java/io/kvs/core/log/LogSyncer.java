package io.kvs.core.log;

import io.kvs.core.SyncPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Applies the {@link SyncPolicy}: with {@code ALWAYS}, a write waits for its segment to be forced
 * (writers arriving together share one force); with {@code EVERY_SECOND}, a daemon thread forces
 * the active segment once a second, and finishes the rolls writers leave to it (the seal and
 * force of the segment left behind, up to a second of writes), so that no writer waits for the
 * device; with {@code NEVER}, nothing here forces.
 */
final class LogSyncer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LogSyncer.class);
    /** Interval of the background force under {@code EVERY_SECOND}. */
    static final long INTERVAL_MILLIS = 1000;

    private final SyncPolicy policy;
    private final ScheduledExecutorService timer;

    LogSyncer(SyncPolicy policy, Supplier<Segment> activeSegment, String name) {
        this.policy = policy;
        if (policy == SyncPolicy.EVERY_SECOND) {
            this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "kvs-sync-" + name);
                thread.setDaemon(true);
                return thread;
            });
            timer.scheduleWithFixedDelay(() -> {
                try {
                    activeSegment.get().force();
                } catch (RuntimeException e) {
                    LOG.error("background sync failed: {}", e.getMessage(), e);
                }
            }, INTERVAL_MILLIS, INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
        } else {
            this.timer = null;
        }
    }

    /**
     * Finishes a roll ({@code finish}: the seal and syncs of the segment left behind), outside the
     * writer lock. Under {@code EVERY_SECOND} the daemon thread does it, in order with its forces;
     * the writer goes on at once. Under {@code ALWAYS} the writer must wait for its own force,
     * which seals the segment left behind first anyway, and under {@code NEVER} nothing is forced:
     * both run it in the calling thread, as does a roll that reaches a closing syncer.
     */
    void finishRoll(Runnable finish) {
        if (timer != null) {
            try {
                timer.execute(finish);
                return;
            } catch (RejectedExecutionException closing) {
                // The store is closing; finish the roll here.
            }
        }
        finish.run();
    }

    /** Called after a write that ends at {@code end} in {@code segment}, outside the writer lock. */
    void afterWrite(Segment segment, long end) {
        if (policy == SyncPolicy.ALWAYS) {
            segment.forceTo(end);
        }
    }

    /** Stops the background force; the engine forces everything itself when it closes. */
    @Override
    public void close() {
        if (timer != null) {
            timer.shutdown();
            try {
                if (!timer.awaitTermination(10, TimeUnit.SECONDS)) {
                    LOG.warn("background sync did not stop within 10 s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
