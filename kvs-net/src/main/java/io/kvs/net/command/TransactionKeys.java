package io.kvs.net.command;

import io.kvs.core.Entry;
import io.kvs.core.ScanOrder;
import io.kvs.core.ScanPage;
import io.kvs.core.Transaction;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * {@link Keys} inside one engine {@link Transaction}: reads see the transaction's own writes, and
 * everything is one atomic unit. Scans and the key count see them too, as each command of a
 * Redis MULTI/EXEC sees the ones before it: they read the engine as it was when the transaction
 * began (no other write can interleave) and correct that by the writes made since, which this
 * class remembers. Confined to the transaction's thread.
 */
final class TransactionKeys implements Keys {

    private final Transaction transaction;
    private final Keys outside;
    /** Every key written so far, by content: its entry now, or null once removed. */
    private final Map<ByteBuffer, Entry> written = new HashMap<>();

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
        written.put(ByteBuffer.wrap(key.clone()), entry);
    }

    @Override
    public boolean delete(byte[] key) {
        boolean existed = transaction.delete(key);
        written.put(ByteBuffer.wrap(key.clone()), null);
        return existed;
    }

    @Override
    public Optional<Entry> update(byte[] key, UnaryOperator<Entry> function) {
        Entry current = transaction.get(key).orElse(null);
        Entry next = function.apply(current);
        if (next == current) {
            return Optional.ofNullable(current);
        }
        if (next == null) {
            delete(key);
        } else {
            put(key, next);
        }
        return Optional.ofNullable(next);
    }

    @Override
    public <T> T atomically(Function<Keys, T> work) {
        return work.apply(this);
    }

    @Override
    public ScanPage scan(long cursor, int count, byte[] prefix) {
        ScanPage page = outside.scan(cursor, count, prefix);
        if (written.isEmpty()) {
            return page;
        }
        List<byte[]> keys = new ArrayList<>(page.keys().size());
        Set<ByteBuffer> listed = new HashSet<>();
        for (byte[] key : page.keys()) {
            ByteBuffer k = ByteBuffer.wrap(key);
            if (!written.containsKey(k) || live(written.get(k))) {
                keys.add(key);
                listed.add(k);
            }
        }
        // A key written since the transaction began belongs to the page that covers its position.
        for (Map.Entry<ByteBuffer, Entry> write : written.entrySet()) {
            byte[] key = write.getKey().array();
            long position = ScanOrder.position(key);
            boolean covered = Long.compareUnsigned(position, cursor) >= 0
                    && (page.done() || Long.compareUnsigned(position, page.cursor()) < 0);
            if (covered && live(write.getValue()) && !listed.contains(write.getKey()) && ScanOrder.hasPrefix(key, prefix)) {
                keys.add(key.clone());
            }
        }
        return new ScanPage(keys, page.cursor());
    }

    @Override
    public long size() {
        long size = outside.size();
        for (Map.Entry<ByteBuffer, Entry> write : written.entrySet()) {
            boolean before = outside.get(write.getKey().array()).isPresent();
            boolean now = live(write.getValue());
            size += (now ? 1 : 0) - (before ? 1 : 0);
        }
        return size;
    }

    private boolean live(Entry entry) {
        return entry != null && !entry.isExpiredAt(transaction.nowMillis());
    }

    @Override
    public long nowMillis() {
        return transaction.nowMillis();
    }
}
