package io.kvs.core.log;

import io.kvs.core.StorageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Allocates the active segment's next chunk of disk space ahead of the writers, on a daemon
 * thread of its own. Allocating a chunk (writes of zeros, then a touch of every page) takes about
 * a millisecond; done by a writer it stalls every write queued behind the writer lock, and under
 * a steady stream of sets that is one stall per {@link Segment#ALLOCATION_CHUNK_BYTES} written.
 * A writer that still finds no room allocated (the allocator fell behind, or the disk is full)
 * allocates it itself, as before, and meets the error there. Thread-safe.
 */
final class SpaceAllocator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SpaceAllocator.class);

    private final ExecutorService executor;

    /** Starts the allocator's thread, named after the store ({@code kvs-allocate-NAME}). */
    SpaceAllocator(String name) {
        this.executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), runnable -> {
            Thread thread = new Thread(runnable, "kvs-allocate-" + name);
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * After a write to {@code segment}: has the next chunk allocated in the background if little
     * allocated space is left past the write position. Costs nothing otherwise. Writer lock held.
     */
    void afterAppend(Segment segment) {
        if (!segment.claimAllocationAhead()) {
            return;
        }
        try {
            executor.execute(() -> {
                StorageException failure = segment.allocateAhead();
                if (failure != null) {
                    LOG.debug("allocation ahead failed; the write that needs the space will try again: {}",
                            failure.getMessage());
                }
            });
        } catch (RejectedExecutionException closing) {
            segment.abandonAllocationAhead();
        }
    }

    /** Stops the thread once the allocation under way, if any, is done. */
    @Override
    public void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("space allocator did not stop within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
