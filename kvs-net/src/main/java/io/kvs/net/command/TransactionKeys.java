package io.kvs.net.command;

import io.kvs.core.Entry;
import io.kvs.core.ScanPage;
import io.kvs.core.Transaction;

import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * {@link Keys} inside one engine {@link Transaction}: reads see the transaction's own writes, and
 * everything is one atomic unit. Scans and the key count read the engine as it was when the
 * transaction began (no other write can interleave), without the transaction's own writes.
 * Confined to the transaction's thread.
 */
final class TransactionKeys implements Keys {

    private final Transaction transaction;
    private final Keys outside;

    TransactionKeys(Transaction transaction, Keys outside) {
        this.transaction = transaction;
        this.outside = outside;
    }

    @Override
    public Optional<Entry> get(byte[] key) {
        return transaction.get(key);
    }

    @Override
    public void put(byte[] key, Entry entry) {
        transaction.put(key, entry);
    }

    @Override
    public boolean delete(byte[] key) {
        return transaction.delete(key);
    }

    @Override
    public Optional<Entry> update(byte[] key, UnaryOperator<Entry> function) {
        Entry current = transaction.get(key).orElse(null);
        Entry next = function.apply(current);
        if (next == current) {
            return Optional.ofNullable(current);
        }
        if (next == null) {
            transaction.delete(key);
        } else {
            transaction.put(key, next);
        }
        return Optional.ofNullable(next);
    }

    @Override
    public <T> T atomically(Function<Keys, T> work) {
        return work.apply(this);
    }

    @Override
    public ScanPage scan(long cursor, int count, byte[] prefix) {
        return outside.scan(cursor, count, prefix);
    }

    @Override
    public long size() {
        return outside.size();
    }

    @Override
    public long nowMillis() {
        return transaction.nowMillis();
    }
}
