package io.kvs.bench;

import io.kvs.core.KvsEngine;

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
    public void close() {
        engine.close();
    }
}
