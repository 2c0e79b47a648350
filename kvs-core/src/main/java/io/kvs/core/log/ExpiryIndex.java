package io.kvs.core.log;

import io.kvs.core.Entry;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.LongArrayList;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * The keys that have an expiry, and when each expires, so that expired keys can be removed from
 * the index without a scan: only keys with an expiry cost memory here (about 40 bytes each), the
 * rest nothing.
 *
 * <p>A key is held by its 64-bit hash, like the {@link KeyIndex} slot it owns; a key that lives
 * in {@link KeyDir}'s overflow map (its hash slot belongs to another key) is held by its bytes.
 * Due times are bucketed by second: each bucket lists the hashes that expire in that second,
 * possibly with stale entries for keys whose expiry changed since (checked against the exact
 * time when the bucket is due, and dropped). Buckets are rebuilt when stale entries outnumber
 * live ones.
 *
 * <p>Not thread-safe: changed under the engine's writer lock (and by recovery before the store
 * is shared). {@link #size()} and {@link #earliestDueMillis()} may be read from any thread.
 */
final class ExpiryIndex {

    private static final long BUCKET_MILLIS = 1000;

    /** Receives an expired key to remove from the index. */
    interface Reclaimer {
        /** The key owning {@code hash} in the hash index has expired. */
        void expiredHash(long hash);

        /** The overflow key {@code key} has expired. */
        void expiredKey(KeyBytes key);
    }

    /** hash -> expiry; 0 (never stored: expiries are positive) for a missing hash. */
    private final Long2LongHashMap byHash = new Long2LongHashMap(Entry.NO_EXPIRY);
    private final Map<KeyBytes, Long> overflowKeys = new HashMap<>();
    /** second -> hashes expiring in it (some stale). */
    private final TreeMap<Long, LongArrayList> due = new TreeMap<>();
    private long dueEntries;
    private volatile long size;
    private volatile long earliestDueMillis = Long.MAX_VALUE;

    /**
     * Records that the key with {@code hash} (or, if it lives in the overflow map, {@code overflowKey})
     * expires at {@code expiresAtMillis}; {@link Entry#NO_EXPIRY} forgets it.
     */
    void set(long hash, KeyBytes overflowKey, long expiresAtMillis) {
        if (expiresAtMillis == Entry.NO_EXPIRY) {
            remove(hash, overflowKey);
            return;
        }
        if (overflowKey != null) {
            overflowKeys.put(overflowKey, expiresAtMillis);
        } else {
            long previous = byHash.put(hash, expiresAtMillis);
            if (previous == expiresAtMillis) {
                return;
            }
            addDue(hash, expiresAtMillis);
            maybeRebuild();
        }
        size = byHash.size() + overflowKeys.size();
        // A lower bound is enough: the sweep finds out what is really due, and sets it exactly.
        long dueFrom = overflowKey != null ? expiresAtMillis : expiresAtMillis / BUCKET_MILLIS * BUCKET_MILLIS;
        if (dueFrom < earliestDueMillis) {
            earliestDueMillis = dueFrom;
        }
    }

    /** Forgets the expiry of the key with {@code hash} (or the overflow key), if it had one. */
    void remove(long hash, KeyBytes overflowKey) {
        if (overflowKey != null) {
            if (overflowKeys.remove(overflowKey) == null) {
                return;
            }
        } else if (byHash.remove(hash) == Entry.NO_EXPIRY) {
            return;
        }
        // The earliest due time stays a lower bound; its bucket entry goes stale.
        size = byHash.size() + overflowKeys.size();
    }

    /** The expiry recorded for the key owning {@code hash}, or {@link Entry#NO_EXPIRY}. */
    long expiryOf(long hash) {
        return byHash.get(hash);
    }

    /** Keys with an expiry (expired ones not yet reclaimed included). */
    long size() {
        return size;
    }

    /**
     * A time at or before which the next key is due ({@link Long#MAX_VALUE}: none has an expiry).
     * A lower bound between sweeps (a removed key's time may linger), exact after
     * {@link #reclaimDue}.
     */
    long earliestDueMillis() {
        return earliestDueMillis;
    }

    /**
     * Hands every key that has expired by {@code nowMillis} to {@code reclaimer}, at most
     * {@code budget} of them, and forgets them; returns how many there were. The caller removes
     * each from the index.
     */
    int reclaimDue(long nowMillis, int budget, Reclaimer reclaimer) {
        int reclaimed = 0;
        if (!overflowKeys.isEmpty()) {
            for (Iterator<Map.Entry<KeyBytes, Long>> it = overflowKeys.entrySet().iterator();
                 it.hasNext() && reclaimed < budget; ) {
                Map.Entry<KeyBytes, Long> entry = it.next();
                if (entry.getValue() <= nowMillis) {
                    it.remove();
                    reclaimer.expiredKey(entry.getKey());
                    reclaimed++;
                }
            }
        }
        long nowBucket = nowMillis / BUCKET_MILLIS;
        while (reclaimed < budget && !due.isEmpty() && due.firstKey() <= nowBucket) {
            Map.Entry<Long, LongArrayList> bucket = due.firstEntry();
            long second = bucket.getKey();
            LongArrayList hashes = bucket.getValue();
            LongArrayList notYet = null;
            while (reclaimed < budget && !hashes.isEmpty()) {
                int last = hashes.size() - 1;
                long hash = hashes.getLong(last);
                hashes.fastUnorderedRemove(last);
                dueEntries--;
                long expiresAt = byHash.get(hash);
                if (expiresAt == Entry.NO_EXPIRY || expiresAt / BUCKET_MILLIS != second) {
                    continue; // stale: the key lost or changed its expiry since
                }
                if (expiresAt <= nowMillis) {
                    byHash.remove(hash);
                    reclaimer.expiredHash(hash);
                    reclaimed++;
                } else {
                    if (notYet == null) {
                        notYet = new LongArrayList();
                    }
                    notYet.addLong(hash);
                }
            }
            boolean looked = hashes.isEmpty();
            if (notYet != null) {
                hashes.addAll(notYet);
                dueEntries += notYet.size();
            }
            if (hashes.isEmpty()) {
                due.remove(second);
            } else if (looked) {
                break; // what is left of this bucket is due later in this second
            }
        }
        updateSummary();
        return reclaimed;
    }

    private void addDue(long hash, long expiresAtMillis) {
        due.computeIfAbsent(expiresAtMillis / BUCKET_MILLIS, s -> new LongArrayList()).addLong(hash);
        dueEntries++;
    }

    /** Rebuilds the buckets from the exact map once stale entries outnumber live ones. */
    private void maybeRebuild() {
        if (dueEntries <= 2L * byHash.size() + 1024) {
            return;
        }
        due.clear();
        dueEntries = 0;
        byHash.forEachLong(this::addDue);
    }

    private void updateSummary() {
        size = byHash.size() + overflowKeys.size();
        long earliest = due.isEmpty() ? Long.MAX_VALUE : due.firstKey() * BUCKET_MILLIS;
        for (long expiresAt : overflowKeys.values()) {
            earliest = Math.min(earliest, expiresAt);
        }
        earliestDueMillis = earliest;
    }
}
