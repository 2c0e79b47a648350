package io.kvs.core.log;

import io.kvs.core.Entry;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Applies records to the in-memory state, the one place that knows what each record type does
 * to it: the key directory, the expiry index, the metadata location and the byte counts. Used
 * by writers once their record is appended, and by recovery for each record it replays.
 *
 * <p>Called by one writer at a time (the engine's writer lock, or recovery before the store is
 * shared); the writer lock keeps the segments it reads mapped ({@link LogWriter}).
 */
final class RecordApplier {

    private final KeyDir keyDir;
    private final ExpiryIndex expiry;
    private final LogStats stats;
    private final LogReader reader;
    private final KeyHash keyHash;
    private final AtomicLong metadataLocation;
    private final AtomicLong expiredReclaimed;

    RecordApplier(KeyDir keyDir, ExpiryIndex expiry, LogStats stats, LogReader reader, KeyHash keyHash,
                  AtomicLong metadataLocation, AtomicLong expiredReclaimed) {
        this.keyDir = keyDir;
        this.expiry = expiry;
        this.stats = stats;
        this.reader = reader;
        this.keyHash = keyHash;
        this.metadataLocation = metadataLocation;
        this.expiredReclaimed = expiredReclaimed;
    }

    /**
     * Applies the record of {@code length} bytes at {@code at} in {@code buffer}, which lies at
     * {@code offset} in {@code segment}; a batch record applies each of its records in order. A
     * set record whose expiry has come by {@code clock} (replay) removes its key instead.
     */
    void apply(byte[] buffer, int at, int length, Segment segment, long offset, Clock clock) {
        byte type = RecordDescriptor.type(buffer, at);
        if (type == RecordDescriptor.TYPE_BATCH) {
            stats.addStale(segment, RecordDescriptor.HEADER_LENGTH);
            int count = RecordDescriptor.keyLength(buffer, at);
            int inner = at + RecordDescriptor.HEADER_LENGTH;
            for (int i = 0; i < count; i++) {
                int innerLength = RecordDescriptor.plausibleLength(buffer, inner);
                apply(buffer, inner, innerLength, segment, offset + (inner - at), clock);
                inner += innerLength;
            }
            return;
        }
        int keyOffset = at + RecordDescriptor.HEADER_LENGTH;
        int keyLength = RecordDescriptor.keyLength(buffer, at);
        long location = Location.of(segment.id(), offset);
        switch (type) {
            case RecordDescriptor.TYPE_SET, RecordDescriptor.TYPE_SET_EXPIRING -> {
                long hash = keyHash.hash(buffer, keyOffset, keyLength);
                long expiresAt = RecordDescriptor.expiresAt(buffer, at);
                if (expiresAt != Entry.NO_EXPIRY && clock != null && expiresAt <= clock.millis()) {
                    remove(buffer, keyOffset, keyLength, hash, segment, length);
                    expiredReclaimed.incrementAndGet();
                } else {
                    set(buffer, keyOffset, keyLength, hash, location, length, expiresAt);
                }
            }
            case RecordDescriptor.TYPE_REMOVE ->
                    remove(buffer, keyOffset, keyLength, keyHash.hash(buffer, keyOffset, keyLength), segment, length);
            case RecordDescriptor.TYPE_METADATA -> metadata(location, length);
            default -> throw new IllegalStateException("record type " + type + " passed the scanner");
        }
    }

    /** A set record of {@code length} bytes for the key at {@code key[offset, offset + length)} is at {@code location}. */
    void set(byte[] key, int offset, int keyLength, long hash, long location, int length, long expiresAtMillis) {
        long previous = keyDir.put(key, offset, keyLength, hash, location);
        stats.addLive(length);
        if (previous != Location.NONE) {
            stats.liveBecameStale(reader.segment(previous), reader.recordLength(previous));
        }
        if (expiresAtMillis != Entry.NO_EXPIRY || expiry.size() > 0) {
            expiry.set(hash, overflowKey(key, offset, keyLength), expiresAtMillis);
        }
    }

    /** A tombstone of {@code length} bytes for the key was appended to {@code segment} (or a set record there is void). */
    void remove(byte[] key, int offset, int keyLength, long hash, Segment segment, int length) {
        KeyBytes overflowKey = expiry.size() > 0 ? overflowKey(key, offset, keyLength) : null;
        long previous = keyDir.remove(key, offset, keyLength, hash);
        stats.addStale(segment, length);
        if (previous != Location.NONE) {
            stats.liveBecameStale(reader.segment(previous), reader.recordLength(previous));
            if (expiry.size() > 0) {
                expiry.remove(hash, overflowKey);
            }
        }
    }

    /**
     * Removes an expired key from the index without writing anything: its set record says it
     * has expired, so replay removes it too. Returns whether the key was there.
     */
    boolean reclaim(byte[] key, long hash) {
        long previous = keyDir.remove(key, 0, key.length, hash);
        if (previous == Location.NONE) {
            return false;
        }
        stats.liveBecameStale(reader.segment(previous), reader.recordLength(previous));
        expiredReclaimed.incrementAndGet();
        return true;
    }

    /** A metadata record of {@code length} bytes is at {@code location}: it replaces the previous one. */
    void metadata(long location, int length) {
        long previous = metadataLocation.getAndSet(location);
        stats.addLive(length);
        if (previous != Location.NONE) {
            stats.liveBecameStale(reader.segment(previous), reader.recordLength(previous));
        }
    }

    /** The key's bytes if it lives in the overflow map, else null (it owns its hash slot). */
    private KeyBytes overflowKey(byte[] key, int offset, int keyLength) {
        return keyDir.inOverflow(key, offset, keyLength) ? KeyBytes.copyOf(key, offset, keyLength) : null;
    }
}
