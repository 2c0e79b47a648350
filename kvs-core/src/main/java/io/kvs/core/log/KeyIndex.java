package io.kvs.core.log;

import org.agrona.collections.Long2LongHashMap;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.Lock;
import java.util.function.LongConsumer;
import java.util.function.LongPredicate;

/**
 * A concurrent map from 64-bit key hash to record {@link Location}, built from Agrona's
 * open-addressing {@link Long2LongHashMap}: two longs per slot, no object per entry.
 *
 * <p>Mutations come from one thread at a time: every caller of {@link #put}, {@link #remove},
 * {@link #putIfSameKey} and {@link #replace} holds the store's writer lock (or is recovery,
 * before the store is shared). So the map is split into {@link #SHARDS} shards by the hash's top
 * bits, each with a sequence number rather than a lock (a seqlock): a mutation makes its shard's
 * sequence odd, changes the map and makes it even again, with ordered stores and no atomic
 * instruction, which on x86 costs no fence at all. Readers take no lock: they read, then check
 * that the sequence did not move, and read again if it did (Agrona's {@code get} and
 * {@code forEachLong} only read array slots of one array snapshot, within its bounds, so a racing
 * read yields wrong values, which the check discards, never an exception or an endless loop).
 * A pass over a whole shard ({@link #collect}, {@link #locations}) is tried that way
 * {@link #OPTIMISTIC_PASSES} times, then made under the writer lock, so a busy shard delays writers
 * by one pass at most. Hash collisions between distinct keys are {@link KeyDir}'s concern; this
 * class only lets a put check which key a stored location holds ({@link #putIfSameKey}).
 */
final class KeyIndex {

    /** Number of shards; a power of two. */
    static final int SHARDS = 64;
    /** Agrona's load factor; 0.65 keeps probe chains short at about 33 bytes per key. */
    static final float LOAD_FACTOR = 0.65f;
    /** Optimistic attempts at a pass over a shard before it is made under the writer lock. */
    static final int OPTIMISTIC_PASSES = 3;
    private static final int SHARD_SHIFT = Long.SIZE - Integer.numberOfTrailingZeros(SHARDS);
    /** Failed checks a reader spins through before it yields its core to a descheduled writer. */
    private static final int SPINS_BEFORE_YIELD = 64;
    /**
     * Slots of a shard's first map: 128 KiB for all shards, room for about 5,000 keys before the
     * first shard grows (a new segment allocates 1 MiB of disk up front: the two are in proportion).
     */
    private static final int INITIAL_SHARD_CAPACITY = 128;
    /** What a shard without a map reads: never changed. */
    private static final Long2LongHashMap EMPTY = new Long2LongHashMap(2, LOAD_FACTOR, Location.NONE);
    private static final VarHandle SEQUENCE;
    private static final VarHandle MAP;

    static {
        try {
            SEQUENCE = MethodHandles.lookup().findVarHandle(Shard.class, "sequence", long.class);
            MAP = MethodHandles.lookup().findVarHandle(Shard.class, "map", Long2LongHashMap.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Shard[] shards = new Shard[SHARDS];
    private final Lock writerLock;

    /** An empty index whose mutators all hold {@code writerLock} (passes fall back to it). */
    KeyIndex(Lock writerLock) {
        this.writerLock = writerLock;
        for (int i = 0; i < SHARDS; i++) {
            shards[i] = new Shard();
        }
    }

    private static final class Shard {
        /** Created by the first put (see {@link #writable}); accessed through {@link #MAP} only. */
        @SuppressWarnings("unused")
        private Long2LongHashMap map;
        /** Odd while a mutation is under way; accessed through {@link #SEQUENCE} only. */
        @SuppressWarnings("unused")
        private long sequence;

        /** The map to read: {@link #EMPTY} until the first put. Any thread. */
        Long2LongHashMap readable() {
            Long2LongHashMap map = (Long2LongHashMap) MAP.getAcquire(this);
            return map == null ? EMPTY : map;
        }

        /**
         * The map to change, created on the first call. Writer only. A shard's map is made when
         * the first key arrives rather than with the index: a new store's first writes then find
         * it in the cache, not behind the log file's first megabyte the opening wrote since.
         */
        Long2LongHashMap writable() {
            Long2LongHashMap map = (Long2LongHashMap) MAP.get(this);
            if (map == null) {
                map = new Long2LongHashMap(INITIAL_SHARD_CAPACITY, LOAD_FACTOR, Location.NONE);
                // Published fully built: a reader sees no map or the whole empty one.
                MAP.setRelease(this, map);
            }
            return map;
        }

        /** Starts a mutation and returns the sequence to pass to {@link #endWrite}. Writer only. */
        long beginWrite() {
            long sequence = (long) SEQUENCE.get(this);
            SEQUENCE.setOpaque(this, sequence + 1);
            // The odd sequence is visible before any change to the map.
            VarHandle.storeStoreFence();
            return sequence;
        }

        /** Ends the mutation {@link #beginWrite} started; publishes its changes. */
        void endWrite(long sequence) {
            SEQUENCE.setRelease(this, sequence + 2);
        }

        /** The sequence to read under: even, waited for if a mutation is under way. */
        long beginRead() {
            long sequence = (long) SEQUENCE.getAcquire(this);
            for (int spins = 0; (sequence & 1) != 0; spins++) {
                backOff(spins);
                sequence = (long) SEQUENCE.getAcquire(this);
            }
            return sequence;
        }

        /** True if no mutation happened since {@link #beginRead} returned {@code sequence}. */
        boolean validate(long sequence) {
            // The reads of the map happen before the sequence is read again.
            VarHandle.acquireFence();
            return (long) SEQUENCE.getVolatile(this) == sequence;
        }
    }

    private static void backOff(int spins) {
        if (spins < SPINS_BEFORE_YIELD) {
            Thread.onSpinWait();
        } else {
            // The writer holds the shard odd and has lost its core (two cores, many threads).
            Thread.yield();
        }
    }

    private Shard shard(long hash) {
        return shards[shardOf(hash)];
    }

    /**
     * The location stored under {@code hash}, or {@link Location#NONE}. Takes no lock: it waits
     * only while a mutation of the same shard is under way, and reads again if one came meanwhile.
     */
    long get(long hash) {
        Shard shard = shard(hash);
        for (int spins = 0; ; spins++) {
            long sequence = shard.beginRead();
            long location = shard.readable().get(hash);
            if (shard.validate(sequence)) {
                return location;
            }
            backOff(spins);
        }
    }

    /** Stores {@code location} under {@code hash}; returns the location it replaced, or {@link Location#NONE}. Writer only. */
    long put(long hash, long location) {
        Shard shard = shard(hash);
        long sequence = shard.beginWrite();
        try {
            return shard.writable().put(hash, location);
        } finally {
            shard.endWrite(sequence);
        }
    }

    /** Removes {@code hash}; returns the location it held, or {@link Location#NONE}. Writer only. */
    long remove(long hash) {
        Shard shard = shard(hash);
        long sequence = shard.beginWrite();
        try {
            return shard.writable().remove(hash);
        } finally {
            shard.endWrite(sequence);
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
     * another key than {@code key[offset, offset + length)} ({@code check} reads it). Returns the
     * location it replaced, {@link Location#NONE} if the hash was free, or {@link #TAKEN} if
     * another key owns it. For a new hash, one probe: the path of every set of a new key. Writer only.
     */
    long putIfSameKey(long hash, long location, byte[] key, int offset, int length, KeyCheck check) {
        Shard shard = shard(hash);
        long sequence = shard.beginWrite();
        try {
            Long2LongHashMap map = shard.writable();
            long existing = map.putIfAbsent(hash, location);
            if (existing != Location.NONE) {
                if (!check.holds(existing, key, offset, length)) {
                    return TAKEN;
                }
                map.put(hash, location);
            }
            return existing;
        } finally {
            shard.endWrite(sequence);
        }
    }

    /** Replaces the location under {@code hash} only if it is still {@code expected}; true if it was. Writer only. */
    boolean replace(long hash, long expected, long location) {
        Shard shard = shard(hash);
        if (shard.readable().get(hash) != expected) {
            return false;
        }
        long sequence = shard.beginWrite();
        try {
            shard.writable().put(hash, location);
            return true;
        } finally {
            shard.endWrite(sequence);
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
     * how many there are. One pass over the shard, made optimistically (see the class comment):
     * writers wait for it only if it had to be made under the writer lock.
     */
    int collect(int shard, long from, int max, long[] hashes, long[] locations) {
        Shard s = shards[shard];
        for (int attempt = 0; attempt < OPTIMISTIC_PASSES; attempt++) {
            long sequence = s.beginRead();
            int found = smallestFrom(s, from, max, hashes, locations);
            if (s.validate(sequence)) {
                return found;
            }
        }
        writerLock.lock();
        try {
            return smallestFrom(s, from, max, hashes, locations);
        } finally {
            writerLock.unlock();
        }
    }

    private static int smallestFrom(Shard s, long from, int max, long[] hashes, long[] locations) {
        SmallestHashes smallest = new SmallestHashes(max, hashes, locations);
        s.readable().forEachLong((hash, location) -> {
            if (Long.compareUnsigned(hash, from) >= 0) {
                smallest.offer(hash, location);
            }
        });
        return smallest.sortAscending();
    }

    /** Receives the locations of a pass, and forgets them again if the pass has to be repeated. */
    interface LocationSink extends LongConsumer {
        /** The number of locations received so far. */
        int received();

        /** Forgets every location received after the first {@code count}. */
        void truncate(int count);
    }

    /**
     * Passes to {@code sink} every location of {@code shard} that {@code wanted} accepts, in one
     * pass over the shard made as {@link #collect} makes it (a failed optimistic pass is taken
     * back from the sink).
     */
    void locations(int shard, LongPredicate wanted, LocationSink sink) {
        Shard s = shards[shard];
        int before = sink.received();
        for (int attempt = 0; attempt < OPTIMISTIC_PASSES; attempt++) {
            long sequence = s.beginRead();
            passLocations(s, wanted, sink);
            if (s.validate(sequence)) {
                return;
            }
            sink.truncate(before);
        }
        writerLock.lock();
        try {
            passLocations(s, wanted, sink);
        } finally {
            writerLock.unlock();
        }
    }

    private static void passLocations(Shard s, LongPredicate wanted, LongConsumer sink) {
        s.readable().forEachLong((hash, location) -> {
            if (wanted.test(location)) {
                sink.accept(location);
            }
        });
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
            for (int spins = 0; ; spins++) {
                long sequence = shard.beginRead();
                int shardSize = shard.readable().size();
                if (shard.validate(sequence)) {
                    size += shardSize;
                    break;
                }
                backOff(spins);
            }
        }
        return size;
    }
}
