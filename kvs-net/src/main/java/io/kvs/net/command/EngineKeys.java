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

    /** The key space of {@code engine}. */
    public EngineKeys(KvsEngine engine) {
        this.engine = engine;
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
        if (entry.hasExpiry()) {
            engine.set(key, entry.value(), entry.expiresAtMillis());
        } else {
            engine.set(key, entry.value());
        }
    }

    @Override
    public boolean delete(byte[] key) {
        return engine.delete(key);
    }

    @Override
    public Optional<Entry> update(byte[] key, UnaryOperator<Entry> function) {
        return engine.update(key, function);
    }

    @Override
    public <T> T atomically(Function<Keys, T> work) {
        return engine.atomically(transaction -> work.apply(new TransactionKeys(transaction, this)));
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
