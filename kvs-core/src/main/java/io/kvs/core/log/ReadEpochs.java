package io.kvs.core.log;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * Tells when no thread can still be reading a retired segment, so that it can be unmapped
 * without crashing a reader (touching an unmapped page kills the JVM).
 *
 * <p>Every read operation that reads the index or a segment runs between {@link #enter()} and
 * {@link #exit(int)} (writers hold the writer lock instead, and the compactor waits for that lock
 * as well before it unmaps: {@link LogWriter}). A thread that wants to free memory first makes it unreachable (no index
 * entry points into it any more), then calls {@link #awaitReaders()}, which returns once every
 * operation that began before the call has ended. Operations that begin later cannot find the
 * retired memory. Readers never wait: they increment and decrement a counter in a stripe of
 * their own (padded against false sharing), one set of stripes per epoch parity.
 *
 * <p>Why a reader is never missed: {@link #enter()} reads the epoch, increments a counter of that
 * epoch's parity, then reads the epoch again and retries if it changed. If the second read still
 * sees epoch {@code e}, the increment came before the awaiter's switch to {@code e + 1} (both are
 * volatile, so they are totally ordered), and that awaiter, which waits on parity {@code e}
 * after its switch, sees the reader. A reader that finds the epoch changed backs out and counts
 * itself in the new parity instead: without that re-check, a reader descheduled between the
 * first read and its increment would be counted in a parity already waited for, and the next
 * awaiter would not wait for it (then unmap a segment it still reads).
 */
final class ReadEpochs {

    /** Longs between two counters: 128 bytes, two cache lines. */
    private static final int STRIDE = 16;

    private final int stripes;
    private final AtomicLongArray counters;
    /** Runs in {@link #enter()} between reading the epoch and counting the reader; tests force interleavings with it. */
    private final Runnable afterEpochRead;
    private volatile long epoch;

    ReadEpochs() {
        this(() -> { });
    }

    /** A test seam: {@code afterEpochRead} runs inside every {@link #enter()} at its racy point. */
    ReadEpochs(Runnable afterEpochRead) {
        this.afterEpochRead = afterEpochRead;
        int wanted = Math.max(8, Integer.highestOneBit(Runtime.getRuntime().availableProcessors() * 4 - 1) << 1);
        this.stripes = wanted;
        this.counters = new AtomicLongArray(2 * stripes * STRIDE);
    }

    /** Marks the calling thread as reading; returns the token to pass to {@link #exit(int)}. */
    int enter() {
        int stripe = stripe();
        while (true) {
            long seen = epoch;
            afterEpochRead.run();
            int slot = ((int) (seen & 1) * stripes + stripe) * STRIDE;
            counters.getAndIncrement(slot);
            if (epoch == seen) {
                return slot;
            }
            // An awaiter switched the epoch meanwhile and may already have counted this parity.
            counters.getAndDecrement(slot);
        }
    }

    /** Ends the read begun by the {@link #enter()} that returned {@code token}. */
    void exit(int token) {
        counters.getAndDecrement(token);
    }

    /**
     * Returns once every read that entered before this call has exited. Call it after the memory
     * to free has become unreachable. Only one thread at a time may call it.
     */
    synchronized void awaitReaders() {
        long current = epoch;
        epoch = current + 1;
        int base = (int) (current & 1) * stripes;
        long parkNanos = 1_000;
        while (readers(base) != 0) {
            Thread.onSpinWait();
            LockSupport.parkNanos(parkNanos);
            parkNanos = Math.min(parkNanos * 2, TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    /** Readers counted in the parity that the next {@link #awaitReaders()} waits on (tests). */
    long readersOfCurrentEpoch() {
        return readers((int) (epoch & 1) * stripes);
    }

    private long readers(int base) {
        long sum = 0;
        for (int i = 0; i < stripes; i++) {
            sum += counters.get((base + i) * STRIDE);
        }
        return sum;
    }

    private int stripe() {
        long id = Thread.currentThread().getId();
        return (int) ((id * 0x9E3779B97F4A7C15L) >>> 40) & (stripes - 1);
    }
}
