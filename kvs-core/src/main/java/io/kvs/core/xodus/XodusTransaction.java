package io.kvs.core.xodus;

import io.kvs.core.Entry;
import io.kvs.core.KvsLimits;
import io.kvs.core.Transaction;

import java.util.Objects;
import java.util.Optional;

/**
 * The {@link Transaction} of {@link XodusKvsEngine#atomically}: reads and writes go straight to
 * one exclusive Xodus transaction, which sees its own writes and commits them together (or
 * aborts them all). The clock is read once, at the start.
 */
final class XodusTransaction implements Transaction {

    private final XodusEnvironment environment;
    private final jetbrains.exodus.env.Transaction txn;
    private final long nowMillis;
    private long bytes;
    private boolean closed;

    XodusTransaction(XodusEnvironment environment, jetbrains.exodus.env.Transaction txn, long nowMillis) {
        this.environment = environment;
        this.txn = txn;
        this.nowMillis = nowMillis;
    }

    @Override
    public Optional<Entry> get(byte[] key) {
        checkOpen();
        return Optional.ofNullable(environment.get(txn, KvsLimits.checkKey(key), nowMillis));
    }

    @Override
    public void put(byte[] key, Entry entry) {
        checkOpen();
        KvsLimits.checkKey(key);
        Objects.requireNonNull(entry, "entry must not be null");
        count(key.length + entry.value().length);
        if (entry.isExpiredAt(nowMillis)) {
            environment.delete(txn, key, nowMillis);
        } else {
            environment.put(txn, key, entry);
        }
    }

    @Override
    public boolean delete(byte[] key) {
        checkOpen();
        KvsLimits.checkKey(key);
        count(key.length);
        return environment.delete(txn, key, nowMillis);
    }

    @Override
    public void setMetadata(byte[] metadata) {
        checkOpen();
        KvsLimits.checkMetadata(metadata);
        count(metadata.length);
        environment.setMetadata(txn, metadata);
    }

    @Override
    public long nowMillis() {
        return nowMillis;
    }

    /** Ends the transaction: later calls (a leaked reference) fail. */
    void close() {
        closed = true;
    }

    /** Counts a write's bytes against the batch limit, with the per-record overhead KvStore would write. */
    private void count(long length) {
        bytes += length + 21;
        XodusEnvironment.checkBatchBytes(bytes);
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the transaction has ended: use it only inside the work passed to atomically");
        }
    }
}
