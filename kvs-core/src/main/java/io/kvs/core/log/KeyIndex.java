package io.kvs.core.log;

import org.agrona.collections.Long2LongHashMap;

import java.util.concurrent.locks.StampedLock;
import java.util.function.LongConsumer;
import java.util.function.LongPredicate;

/**
 * A concurrent map from 64-bit key hash to record {@link Location}, built from Agrona's
 * open-addressing {@link Long2LongHashMap}: two longs per slot, no object per entry.
 *
 * <p>The map is split into {@link #SHARDS} shards by the hash's top bits, each guarded by a
 * {@link StampedLock}. Readers take no lock: they read optimistically and retry under the read
 * lock only if a writer touched the shard meanwhile (Agrona's {@code get} only reads array slots
 * from one array snapshot, so a racing read yields a wrong value, which validation discards,
 * never an exception or an endless loop). Writers hold the shard's write lock for one map
 * operation. Hash collisions between distinct keys are {@link KeyDir}'s concern; this class
 * only lets a put check, under the shard's lock, which key a stored location holds
 * ({@link #putIfSameKey}).
 */
final class KeyIndex {

    /** Number of shards; a power of two. */
    static final int SHARDS = 64;
    /** Agrona's load factor; 0.65 keeps probe chains short at about 33 bytes per key. */
    static final float LOAD_FACTOR = 0.65f;
    private static final int SHARD_SHIFT = Long.SIZE - Integer.numberOfTrailingZeros(SHARDS);
    /**
     * Slots per shard of a new index: 128 KiB in all, room for about 5,000 keys before the first
     * shard grows (a new segment allocates 1 MiB of disk up front: the two are in proportion).
     */
    private static final int INITIAL_SHARD_CAPACITY = 128;

    private final Shard[] shards = new Shard[SHARDS];

    KeyIndex() {
        for (int i = 0; i < SHARDS; i++) {
            shards[i] = new Shard();
        }
    }

    private static final class Shard {
        final StampedLock lock = new StampedLock();
        final Long2LongHashMap map = new Long2LongHashMap(INITIAL_SHARD_CAPACITY, LOAD_FACTOR, Location.NONE);
    }

    private Shard shard(long hash) {
        return shards[shardOf(hash)];
    }

    /** The location stored under {@code hash}, or {@link Location#NONE}. Never blocks on another reader. */
    long get(long hash) {
        Shard shard = shard(hash);
        long stamp = shard.lock.tryOptimisticRead();
        if (stamp != 0) {
            long location = shard.map.get(hash);
            if (shard.lock.validate(stamp)) {
                return location;
            }
        }
        stamp = shard.lock.readLock();
        try {
            return shard.map.get(hash);
        } finally {
            shard.lock.unlockRead(stamp);
        }
    }

    /** Stores {@code location} under {@code hash}; returns the location it replaced, or {@link Location#NONE}. */
    long put(long hash, long location) {
        Shard shard = shard(hash);
        long stamp = shard.lock.writeLock();
        try {
            return shard.map.put(hash, location);
        } finally {
            shard.lock.unlockWrite(stamp);
        }
    }

    /** Removes {@code hash}; returns the location it held, or {@link Location#NONE}. */
    long remove(long hash) {
        Shard shard = shard(hash);
        long stamp = shard.lock.writeLock();
        try {
            return shard.map.remove(hash);
        } finally {
            shard.lock.unlockWrite(stamp);
        }
    }

    /** What {@link #putIfSameKey} returns when another key owns the hash: nothing was stored. */
    static final long TAKEN = -2L;

    /** Tells whether the record at a location holds a given key. */
    @FunctionalInterface
    interface KeyCheck {
        boolean holds(long location, byte[] key, int offset, int length);
    }

    /**
     * Stores {@code location} under {@code hash} unless the location already stored there holds
     * another key than {@code key[offset, offset + length)} ({@code check} reads it, under the
     * shard's write lock). Returns the location it replaced, {@link Location#NONE} if the hash
     * was free, or {@link #TAKEN} if another key owns it. One lock and, for a new hash, one probe:
     * the path of every set of a new key.
     */
    long putIfSameKey(long hash, long location, byte[] key, int offset, int length, KeyCheck check) {
        Shard shard = shard(hash);
        long stamp = shard.lock.writeLock();
        try {
            long existing = shard.map.putIfAbsent(hash, location);
            if (existing != Location.NONE) {
                if (!check.holds(existing, key, offset, length)) {
                    return TAKEN;
                }
                shard.map.put(hash, location);
            }
            return existing;
        } finally {
            shard.lock.unlockWrite(stamp);
        }
    }

    /** Replaces the location under {@code hash} only if it is still {@code expected}; true if it was. */
    boolean replace(long hash, long expected, long location) {
        Shard shard = shard(hash);
        long stamp = shard.lock.writeLock();
        try {
            if (shard.map.get(hash) != expected) {
                return false;
            }
            shard.map.put(hash, location);
            return true;
        } finally {
            shard.lock.unlockWrite(stamp);
        }
    }

    /** The shard holding {@code hash}: shards cover consecutive ranges of unsigned hashes, in order. */
    static int shardOf(long hash) {
        return (int) (hash >>> SHARD_SHIFT);
    }

    /** The smallest hash of {@code shard}. */
    static long shardStart(int shard) {
        return (long) shard << SHARD_SHIFT;
    }

    /**
     * Fills {@code hashes} and {@code locations} with the entries of {@code shard} whose hash is
     * at least {@code from} (unsigned), the {@code max} smallest in ascending order, and returns
     * how many there are. Holds the shard's read lock for one pass over it: writers to this shard
     * wait that long, no longer.
     */
    int collect(int shard, long from, int max, long[] hashes, long[] locations) {
        Shard s = shards[shard];
        SmallestHashes smallest = new SmallestHashes(max, hashes, locations);
        long stamp = s.lock.readLock();
        try {
            s.map.forEachLong((hash, location) -> {
                if (Long.compareUnsigned(hash, from) >= 0) {
                    smallest.offer(hash, location);
                }
            });
        } finally {
            s.lock.unlockRead(stamp);
        }
        return smallest.sortAscending();
    }

    /**
     * Passes to {@code sink} every location of {@code shard} that {@code wanted} accepts. Holds
     * the shard's read lock for one pass over it, as {@link #collect} does.
     */
    void locations(int shard, LongPredicate wanted, LongConsumer sink) {
        Shard s = shards[shard];
        long stamp = s.lock.readLock();
        try {
            s.map.forEachLong((hash, location) -> {
                if (wanted.test(location)) {
                    sink.accept(location);
                }
            });
        } finally {
            s.lock.unlockRead(stamp);
        }
    }

    /** A bounded max-heap by unsigned hash: keeps the smallest hashes offered. */
    private static final class SmallestHashes {
        private final int max;
        private final long[] hashes;
        private final long[] locations;
        private int size;

        SmallestHashes(int max, long[] hashes, long[] locations) {
            this.max = max;
            this.hashes = hashes;
            this.locations = locations;
        }

        void offer(long hash, long location) {
            if (size < max) {
                hashes[size] = hash;
                locations[size] = location;
                siftUp(size++);
            } else if (Long.compareUnsigned(hash, hashes[0]) < 0) {
                hashes[0] = hash;
                locations[0] = location;
                siftDown(0, size);
            }
        }

        /** Sorts the kept entries ascending in place (heap sort); returns their number. */
        int sortAscending() {
            for (int end = size - 1; end > 0; end--) {
                swap(0, end);
                siftDown(0, end);
            }
            return size;
        }

        private void siftUp(int i) {
            while (i > 0) {
                int parent = (i - 1) >>> 1;
                if (Long.compareUnsigned(hashes[parent], hashes[i]) >= 0) {
                    return;
                }
                swap(parent, i);
                i = parent;
            }
        }

        private void siftDown(int i, int end) {
            while (true) {
                int largest = i;
                int left = 2 * i + 1;
                int right = left + 1;
                if (left < end && Long.compareUnsigned(hashes[left], hashes[largest]) > 0) {
                    largest = left;
                }
                if (right < end && Long.compareUnsigned(hashes[right], hashes[largest]) > 0) {
                    largest = right;
                }
                if (largest == i) {
                    return;
                }
                swap(i, largest);
                i = largest;
            }
        }

        private void swap(int a, int b) {
            long h = hashes[a];
            hashes[a] = hashes[b];
            hashes[b] = h;
            long l = locations[a];
            locations[a] = locations[b];
            locations[b] = l;
        }
    }

    /** The number of hashes stored. Exact only when no writer is active. */
    long size() {
        long size = 0;
        for (Shard shard : shards) {
            long stamp = shard.lock.readLock();
            try {
                size += shard.map.size();
            } finally {
                shard.lock.unlockRead(stamp);
            }
        }
        return size;
    }
}
