package io.kvs.net.command;

import io.kvs.core.Entry;
import io.kvs.core.KvsEngine;
import io.kvs.core.ScanPage;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/** {@link Keys} straight on a {@link KvsEngine}: each call is atomic on its own. Thread-safe. */
public final class EngineKeys implements Keys {

    private final KvsEngine engine;
    /** Told of every write, before and after it; null if nothing watches keys (a replicated node's state machine). */
    private final KeyWatches watches;

    /** The key space of {@code engine}. */
    public EngineKeys(KvsEngine engine) {
        this(engine, null);
    }

    /** The key space of {@code engine}, whose writes {@code watches} (null: none) is told of. */
    EngineKeys(KvsEngine engine, KeyWatches watches) {
        this.engine = engine;
        this.watches = watches;
    }

    /** Tells the watches that {@code key} is being, or has just been, written. */
    void written(byte[] key) {
        if (watches != null) {
            watches.written(key);
        }
    }

    /** The engine. */
    public KvsEngine engine() {
        return engine;
    }

    @Override
    public Optional<Entry> get(byte[] key) {
        return engine.getEntry(key);
    }

    @Override
    public void prefetch(List<byte[]> keys) {
        engine.prefetch(keys);
    }

    @Override
    public void put(byte[] key, Entry entry) {
        written(key);
        if (entry.hasExpiry()) {
            engine.set(key, entry.value(), entry.expiresAtMillis());
        } else {
            engine.set(key, entry.value());
        }
        written(key);
    }

    @Override
    public boolean delete(byte[] key) {
        if (watches == null || !watches.any()) {
            return engine.delete(key);
        }
        // As an update, so that the watchers hear of it only if the key existed (as in Redis).
        boolean[] existed = new boolean[1];
        update(key, current -> {
            existed[0] = current != null;
            return null;
        });
        return existed[0];
    }

    @Override
    public Optional<Entry> update(byte[] key, UnaryOperator<Entry> function) {
        if (watches == null || !watches.any()) {
            // A WATCH registered meanwhile still sees the write: EXEC compares what the key holds.
            return engine.update(key, function);
        }
        boolean[] changed = new boolean[1];
        Optional<Entry> result = engine.update(key, current -> {
            Entry next = function.apply(current);
            if (next != current) {
                // Under the engine's write lock, before the write: an EXEC that checks later aborts.
                changed[0] = true;
                watches.written(key);
            }
            return next;
        });
        if (changed[0]) {
            written(key);
        }
        return result;
    }

    @Override
    public <T> T atomically(Function<Keys, T> work) {
        TransactionKeys[] last = new TransactionKeys[1];
        T result = engine.atomically(transaction -> work.apply(last[0] = new TransactionKeys(transaction, this)));
        if (watches != null && last[0] != null) {
            // Now committed: a WATCH registered while the transaction ran hears of its writes too.
            last[0].writtenKeys().forEach(this::written);
        }
        return result;
    }

    /**
     * As {@link #atomically}, recording {@code metadata} in the same transaction (the engine keeps
     * the latest: {@link KvsEngine#metadata}), so that it is durable exactly when the work's writes are.
     */
    public <T> T atomically(Function<Keys, T> work, byte[] metadata) {
        return engine.atomically(transaction -> {
            T result = work.apply(new TransactionKeys(transaction, this));
            transaction.setMetadata(metadata);
            return result;
        });
    }

    @Override
    public ScanPage scan(long cursor, int count, byte[] prefix) {
        return engine.scan(cursor, count, prefix);
    }

    @Override
    public long size() {
        return engine.size();
    }

    @Override
    public long nowMillis() {
        return engine.clock().millis();
    }
}
