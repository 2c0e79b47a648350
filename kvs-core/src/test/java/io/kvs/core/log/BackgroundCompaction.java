package io.kvs.core.log;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/** A {@code store.compact()} in a thread of its own, for tests that force an interleaving with it. */
final class BackgroundCompaction {

    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Thread thread;

    private BackgroundCompaction(KvStore store) {
        this.thread = new Thread(() -> {
            try {
                store.compact();
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "test-compaction");
    }

    /** Starts compacting {@code store}. */
    static BackgroundCompaction start(KvStore store) {
        BackgroundCompaction compaction = new BackgroundCompaction(store);
        compaction.thread.start();
        return compaction;
    }

    Thread thread() {
        return thread;
    }

    boolean isAlive() {
        return thread.isAlive();
    }

    /** Waits for the compaction to end; fails the test if it does not in time, or threw. */
    void finish() throws InterruptedException {
        thread.join(TimeUnit.SECONDS.toMillis(Latches.DEADLINE_SECONDS));
        if (thread.isAlive()) {
            throw new AssertionError("compaction did not end");
        }
        if (failure.get() != null) {
            throw new AssertionError("compaction failed", failure.get());
        }
    }
}
