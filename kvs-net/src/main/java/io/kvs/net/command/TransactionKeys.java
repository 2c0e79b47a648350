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
    private final EngineKeys outside;
    /**
     * Every key written so far, as the command passed it (commands do not change their keys),
     * repeats included: one list append per write, so a transaction that never scans (every
     * replicated log entry) pays next to nothing for it. What the keys hold now is read back
     * from the transaction when a scan or a count needs it.
     */
    private final List<byte[]> written = new ArrayList<>();

    TransactionKeys(Transaction transaction, EngineKeys outside) {
        this.transaction = transaction;
        this.outside = outside;
    }

    @Override
    public Optional<Entry> get(byte[] key) {
        return transaction.get(key);
    }

    @Override
    public void put(byte[] key, Entry entry) {
        // The transaction holds the engine's write lock: no EXEC checks its watches until it ends.
        outside.written(key);
        transaction.put(key, entry);
        written.add(key);
    }

    @Override
    public boolean delete(byte[] key) {
        outside.written(key);
        boolean existed = transaction.delete(key);
        written.add(key);
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

    /** Every key written so far, repeats included. */
    List<byte[]> writtenKeys() {
        return written;
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
        Map<ByteBuffer, Boolean> live = liveness();
        List<byte[]> keys = new ArrayList<>(page.keys().size());
        Set<ByteBuffer> listed = new HashSet<>();
        for (byte[] key : page.keys()) {
            ByteBuffer k = ByteBuffer.wrap(key);
            if (live.getOrDefault(k, true)) {
                keys.add(key);
                listed.add(k);
            }
        }
        // A key written since the transaction began belongs to the page that covers its position.
        for (Map.Entry<ByteBuffer, Boolean> write : live.entrySet()) {
            byte[] key = write.getKey().array();
            long position = ScanOrder.position(key);
            boolean covered = Long.compareUnsigned(position, cursor) >= 0
                    && (page.done() || Long.compareUnsigned(position, page.cursor()) < 0);
            if (covered && write.getValue() && !listed.contains(write.getKey()) && ScanOrder.hasPrefix(key, prefix)) {
                keys.add(key.clone());
            }
        }
        return new ScanPage(keys, page.cursor());
    }

    @Override
    public long size() {
        long size = outside.size();
        for (Map.Entry<ByteBuffer, Boolean> write : liveness().entrySet()) {
            boolean before = outside.get(write.getKey().array()).isPresent();
            size += (write.getValue() ? 1 : 0) - (before ? 1 : 0);
        }
        return size;
    }

    /** Each key written so far, once, and whether it exists now, in the transaction. */
    private Map<ByteBuffer, Boolean> liveness() {
        Map<ByteBuffer, Boolean> live = new HashMap<>();
        for (byte[] key : written) {
            live.computeIfAbsent(ByteBuffer.wrap(key), k -> transaction.get(key).isPresent());
        }
        return live;
    }

    @Override
    public long nowMillis() {
        return transaction.nowMillis();
    }
}
