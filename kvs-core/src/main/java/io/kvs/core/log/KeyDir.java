package io.kvs.core.log;

import io.kvs.core.Entry;
import io.kvs.core.Ttl;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Lock;
import java.util.function.LongConsumer;
import java.util.function.LongPredicate;

/**
 * The exact map from key to the location of its latest set record (Bitcask's "keydir").
 *
 * <p>The {@link KeyIndex} stores only a 64-bit hash per key. A key whose hash is already taken by
 * a different key (checked against the record in the log) goes to a small overflow map keyed by
 * the full key instead, so lookups stay exact: a key is either in the overflow map, or owns its
 * hash slot in the index, or is absent. With a 64-bit hash the overflow map is almost always
 * empty, and readers skip it with one volatile read.
 *
 * <p>{@link #find} and {@link #isLive} may be called by any thread. {@link #put}, {@link #remove}
 * and {@link #move} are called by one thread at a time, which holds the engine's writer lock (a
 * writer, or the compactor moving a batch of entries). Every caller is inside a
 * {@link ReadEpochs} read or holds the writer lock (see {@link LogWriter}), so the segments it
 * reads stay mapped.
 */
final class KeyDir {

    private final KeyIndex index;
    private final ConcurrentHashMap<KeyBytes, Long> overflow = new ConcurrentHashMap<>();
    private final LogReader reader;
    /** Created once, so that a put allocates nothing for it. */
    private final KeyIndex.KeyCheck sameKey;
    private volatile boolean overflowUsed;

    /** An empty key directory; every mutator holds {@code writerLock} (see {@link KeyIndex}). */
    KeyDir(LogReader reader, Lock writerLock) {
        this.index = new KeyIndex(writerLock);
        this.reader = reader;
        this.sameKey = reader::keyEquals;
    }

    /**
     * The location for {@code key}, or {@link Location#NONE}. A location from the hash index may
     * hold another key with the same hash: the caller checks the key in the record it reads.
     */
    long find(byte[] key, long hash) {
        if (overflowUsed) {
            Long location = overflow.get(keyBytes(key, 0, key.length));
            if (location != null) {
                return location;
            }
        }
        return index.get(hash);
    }

    /** The location for {@code key} after checking the record's key, or {@link Location#NONE}. */
    long findExact(byte[] key, long hash) {
        if (overflowUsed) {
            Long location = overflow.get(keyBytes(key, 0, key.length));
            if (location != null) {
                return location;
            }
        }
        long location = index.get(hash);
        if (location != Location.NONE && !reader.keyEquals(location, key, 0, key.length)) {
            return Location.NONE;
        }
        return location;
    }

    /**
     * Points the key in {@code key[offset, offset + length)} at {@code location}; returns the
     * location it replaced, or {@link Location#NONE} if the key was new. Writer only.
     */
    long put(byte[] key, int offset, int length, long hash, long location) {
        if (overflowUsed) {
            Long previous = overflow.replace(keyBytes(key, offset, length), location);
            if (previous != null) {
                return previous;
            }
        }
        long previous = index.putIfSameKey(hash, location, key, offset, length, sameKey);
        if (previous == KeyIndex.TAKEN) {
            // Another key owns this hash slot: this key lives in the overflow map.
            overflowUsed = true;
            overflow.put(keyBytes(key, offset, length), location);
            return Location.NONE;
        }
        return previous;
    }

    /** Removes the key; returns the location it had, or {@link Location#NONE} if absent. Writer only. */
    long remove(byte[] key, int offset, int length, long hash) {
        if (overflowUsed) {
            Long previous = overflow.remove(keyBytes(key, offset, length));
            if (previous != null) {
                return previous;
            }
        }
        long existing = index.get(hash);
        if (existing == Location.NONE || !reader.keyEquals(existing, key, offset, length)) {
            return Location.NONE;
        }
        return index.remove(hash);
    }

    /** True if the record at {@code location} is the latest for its key. */
    boolean isLive(byte[] key, int offset, int length, long hash, long location) {
        if (index.get(hash) == location) {
            return true;
        }
        return overflowUsed && Long.valueOf(location).equals(overflow.get(keyBytes(key, offset, length)));
    }

    /**
     * Moves the key whose hash is {@code hash} from {@code from} to {@code to}, a copy of the same
     * record, if it is still at {@code from}; true if moved. Writer lock held.
     */
    boolean move(long hash, long from, long to) {
        if (index.replace(hash, from, to)) {
            return true;
        }
        return overflowUsed && overflow.replace(KeyBytes.of(reader.keyAt(to)), from, to);
    }

    /** The time {@code key} has left at {@code now} (its expiry read from its record); inside a read. */
    Ttl ttl(byte[] key, long hash, long now) {
        long location = find(key, hash);
        if (location == Location.NONE) {
            return Ttl.noKey();
        }
        long expiresAt = reader.expiryIfKeyMatches(location, key);
        if (expiresAt == LogReader.OTHER_KEY) {
            return Ttl.noKey();
        }
        if (expiresAt == Entry.NO_EXPIRY) {
            return Ttl.noExpiry();
        }
        return expiresAt <= now ? Ttl.noKey() : Ttl.expiresAt(expiresAt, expiresAt - now);
    }

    /** The number of live keys. Exact only when no writer is active. */
    long size() {
        return index.size() + overflow.size();
    }

    /** True if the key lives in the overflow map (its hash slot belongs to another key). */
    boolean inOverflow(byte[] key, int offset, int length) {
        return overflowUsed && overflow.containsKey(keyBytes(key, offset, length));
    }

    /** The hash index, for scans ({@link IndexScan}). */
    KeyIndex index() {
        return index;
    }

    /**
     * The keys of the overflow map whose hash passes {@code hashInRange}, with their locations,
     * passed to {@code sink}; nothing (one volatile read) when the overflow map was never used.
     */
    void overflowKeys(KeyHash keyHash, LongPredicate hashInRange, OverflowSink sink) {
        if (!overflowUsed) {
            return;
        }
        overflow.forEach((key, location) -> {
            long hash = keyHash.hash(key.bytes(), 0, key.bytes().length);
            if (hashInRange.test(hash)) {
                sink.accept(key.bytes(), hash, location);
            }
        });
    }

    /**
     * Passes to {@code sink} every location of the overflow map that {@code wanted} accepts
     * (those of the hash index: {@link KeyIndex#locations}).
     */
    void overflowLocations(LongPredicate wanted, LongConsumer sink) {
        if (overflowUsed) {
            overflow.values().forEach(location -> {
                if (wanted.test(location)) {
                    sink.accept(location);
                }
            });
        }
    }

    /** Receives an overflow key, its hash and its location. */
    @FunctionalInterface
    interface OverflowSink {
        void accept(byte[] key, long hash, long location);
    }

    private static KeyBytes keyBytes(byte[] key, int offset, int length) {
        return KeyBytes.copyOf(key, offset, length);
    }
}
