package io.kvs.bench;

import io.kvs.bench.peers.Counters;
import io.kvs.core.Entry;
import io.kvs.core.KvsEngine;
import io.kvs.core.KvsLimits;
import io.kvs.core.ScanPage;
import io.kvs.core.WriteBatch;

import java.nio.charset.StandardCharsets;

import java.util.Optional;

/**
 * A kvs engine ({@code KvStore} or {@code XodusKvsEngine}) as a {@link BenchStore}: every call is
 * passed straight through, so the measured work is the engine's own. In a JMH fork only one
 * {@code BenchStore} class is loaded for a kvs engine (peers load only when named), so the call
 * sites stay monomorphic and the adapter inlines away. Thread-safe as the engine is.
 */
final class KvsBenchStore implements BenchStore {

    private final KvsEngine engine;

    KvsBenchStore(KvsEngine engine) {
        this.engine = engine;
    }

    @Override
    public void set(String key, String value) {
        engine.set(key, value);
    }

    @Override
    public Optional<String> get(String key) {
        return engine.get(key);
    }

    @Override
    public void setAtomically(String[] keys, String value) {
        byte[] v = value.getBytes(StandardCharsets.UTF_8);
        WriteBatch batch = new WriteBatch();
        for (String key : keys) {
            batch.set(key.getBytes(StandardCharsets.UTF_8), v);
        }
        engine.write(batch);
    }

    @Override
    public long increment(String key) {
        Entry next = engine.update(key.getBytes(StandardCharsets.UTF_8),
                current -> Entry.of(Counters.next(current == null ? null : current.value()))).orElseThrow();
        return Counters.value(next.value());
    }

    @Override
    public long scanAll() {
        long count = 0;
        long cursor = ScanPage.DONE;
        do {
            ScanPage page = engine.scan(cursor, KvsLimits.DEFAULT_SCAN_COUNT);
            count += page.keys().size();
            cursor = page.cursor();
        } while (cursor != ScanPage.DONE);
        return count;
    }

    @Override
    public void setWithTtl(String key, String value, long ttlMillis) {
        engine.set(key.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8),
                engine.clock().millis() + ttlMillis);
    }

    @Override
    public void close() {
        engine.close();
    }
}
