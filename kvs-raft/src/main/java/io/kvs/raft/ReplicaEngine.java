package io.kvs.raft;

import io.kvs.core.EngineStats;
import io.kvs.core.Entry;
import io.kvs.core.KvsEngine;
import io.kvs.core.ScanPage;
import io.kvs.core.Transaction;
import io.kvs.core.Ttl;
import io.kvs.core.WriteBatch;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * A replica's engine as the server sees it: every call goes to the engine open now, which the
 * state machine replaces when it installs a snapshot from the leader ({@link #replace}). Calls
 * that reach the old engine while it closes fail as on any closed engine.
 */
final class ReplicaEngine implements KvsEngine {

    private volatile KvsEngine current;

    ReplicaEngine(KvsEngine engine) {
        this.current = engine;
    }

    /** The engine open now. */
    KvsEngine current() {
        return current;
    }

    /** Makes {@code engine} the one calls go to; the caller closes the previous one. */
    void replace(KvsEngine engine) {
        current = engine;
    }

    @Override
    public void set(String key, String value) {
        current.set(key, value);
    }

    @Override
    public Optional<String> get(String key) {
        return current.get(key);
    }

    @Override
    public void remove(String key) {
        current.remove(key);
    }

    @Override
    public void set(byte[] key, byte[] value) {
        current.set(key, value);
    }

    @Override
    public void set(byte[] key, byte[] value, long expiresAtMillis) {
        current.set(key, value, expiresAtMillis);
    }

    @Override
    public Optional<byte[]> get(byte[] key) {
        return current.get(key);
    }

    @Override
    public Optional<Entry> getEntry(byte[] key) {
        return current.getEntry(key);
    }

    @Override
    public boolean containsKey(byte[] key) {
        return current.containsKey(key);
    }

    @Override
    public void remove(byte[] key) {
        current.remove(key);
    }

    @Override
    public boolean delete(byte[] key) {
        return current.delete(key);
    }

    @Override
    public Ttl ttl(byte[] key) {
        return current.ttl(key);
    }

    @Override
    public boolean expire(byte[] key, long expiresAtMillis) {
        return current.expire(key, expiresAtMillis);
    }

    @Override
    public <T> T atomically(Function<Transaction, T> work) {
        return current.atomically(work);
    }

    @Override
    public void write(WriteBatch batch) {
        current.write(batch);
    }

    @Override
    public Optional<Entry> update(byte[] key, UnaryOperator<Entry> function) {
        return current.update(key, function);
    }

    @Override
    public ScanPage scan(long cursor, int count, byte[] prefix) {
        return current.scan(cursor, count, prefix);
    }

    @Override
    public ScanPage scan(long cursor, int count) {
        return current.scan(cursor, count);
    }

    @Override
    public void forEach(byte[] prefix, BiConsumer<byte[], byte[]> action) {
        current.forEach(prefix, action);
    }

    @Override
    public long size() {
        return current.size();
    }

    @Override
    public Optional<byte[]> metadata() {
        return current.metadata();
    }

    @Override
    public void checkpoint(Path target) {
        current.checkpoint(target);
    }

    @Override
    public EngineStats stats() {
        return current.stats();
    }

    @Override
    public Clock clock() {
        return current.clock();
    }

    @Override
    public String engineName() {
        return current.engineName();
    }

    @Override
    public void close() {
        current.close();
    }
}
