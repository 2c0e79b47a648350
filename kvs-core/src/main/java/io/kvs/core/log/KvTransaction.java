package io.kvs.core.log;

import io.kvs.core.Entry;
import io.kvs.core.KvsLimits;
import io.kvs.core.Transaction;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@link Transaction} of {@link KvStore#atomically}: pending writes in order, over the store
 * as it is. Runs under the store's writer lock, so the store cannot change underneath; the
 * pending writes become one record (a batch when there are several) at commit. The clock is
 * read once, at the start: every expiry check of one transaction uses the same time.
 */
final class KvTransaction implements Transaction {

    /** Reads the store's current entry for a key (under the writer lock). */
    @FunctionalInterface
    interface StoreView {
        Optional<Entry> read(byte[] key, Clock now);
    }

    private final StoreView store;
    private final long nowMillis;
    private final Clock now;
    /** Pending writes by key, in first-write order; a null value is a delete. */
    private final Map<KeyBytes, Entry> writes = new LinkedHashMap<>();
    private byte[] metadata;
    private boolean closed;

    KvTransaction(StoreView store, long nowMillis) {
        this.store = store;
        this.nowMillis = nowMillis;
        this.now = Clock.fixed(Instant.ofEpochMilli(nowMillis), ZoneOffset.UTC);
    }

    @Override
    public Optional<Entry> get(byte[] key) {
        checkOpen();
        KeyBytes k = KeyBytes.of(KvsLimits.checkKey(key));
        if (writes.containsKey(k)) {
            Entry pending = writes.get(k);
            return pending == null || pending.isExpiredAt(nowMillis) ? Optional.empty() : Optional.of(pending);
        }
        return store.read(key, now);
    }

    @Override
    public void put(byte[] key, Entry entry) {
        checkOpen();
        Objects.requireNonNull(entry, "entry must not be null");
        KeyBytes k = KeyBytes.copyOf(KvsLimits.checkKey(key), 0, key.length);
        writes.put(k, entry.isExpiredAt(nowMillis) ? null : entry);
    }

    @Override
    public boolean delete(byte[] key) {
        boolean existed = get(key).isPresent();
        writes.put(KeyBytes.copyOf(key, 0, key.length), null);
        return existed;
    }

    @Override
    public void setMetadata(byte[] metadata) {
        checkOpen();
        this.metadata = KvsLimits.checkMetadata(metadata).clone();
    }

    @Override
    public long nowMillis() {
        return nowMillis;
    }

    /** The pending writes by key in order (null: delete); valid after the work returned. */
    Map<KeyBytes, Entry> writes() {
        return writes;
    }

    /** The metadata to record, or null. */
    byte[] metadata() {
        return metadata;
    }

    /** Ends the transaction: later calls (a leaked reference) fail. */
    void close() {
        closed = true;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the transaction has ended: use it only inside the work passed to atomically");
        }
    }
}
