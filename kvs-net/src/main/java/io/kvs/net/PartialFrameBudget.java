package io.kvs.net;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The memory one server's connections may hold, all together, in input buffers: frames still
 * arriving and frames waiting for their connection's output to drain
 * ({@link ServerOptions#partialFrameBudgetBytes()}). An event loop allocates input buffers here,
 * which reserves their capacity first, and releases it when it drops a buffer, so the total of
 * live input buffers never passes the limit, however many connections stall mid-frame.
 * Thread-safe: shared by the server's event loops.
 */
final class PartialFrameBudget {

    private final long limitBytes;
    private final AtomicLong usedBytes = new AtomicLong();

    PartialFrameBudget(long limitBytes) {
        this.limitBytes = limitBytes;
    }

    /**
     * A heap buffer of {@code capacity} bytes, reserved in the budget (give it back with
     * {@link #release}); null if the budget, or the heap, has no room for it.
     */
    ByteBuffer allocate(int capacity) {
        if (!tryReserve(capacity)) {
            return null;
        }
        try {
            return ByteBuffer.allocate(capacity);
        } catch (OutOfMemoryError e) {
            // Thrown by this allocation alone, before anything changed: the heap is short of what
            // the budget promised, so the caller refuses its connection as if the budget were full.
            release(capacity);
            return null;
        }
    }

    /** Reserves {@code bytes}; returns false, reserving nothing, if that would pass the limit. */
    boolean tryReserve(long bytes) {
        long used;
        do {
            used = usedBytes.get();
            if (bytes > limitBytes - used) {
                return false;
            }
        } while (!usedBytes.compareAndSet(used, used + bytes));
        return true;
    }

    /** Gives back {@code bytes} reserved earlier. */
    void release(long bytes) {
        usedBytes.addAndGet(-bytes);
    }

    /** Bytes reserved right now. */
    long usedBytes() {
        return usedBytes.get();
    }

    /** The limit, in bytes. */
    long limitBytes() {
        return limitBytes;
    }
}
