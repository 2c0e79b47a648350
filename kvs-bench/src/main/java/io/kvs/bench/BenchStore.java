package io.kvs.bench;

import java.util.Optional;

/**
 * The store a benchmark measures: a kvs engine ({@link KvsBenchStore}) or one of the peers in
 * {@link io.kvs.bench.peers}, opened by {@code Engines.open(name, dir)}. Keys and
 * values are valid Unicode strings; a peer stores their UTF-8 bytes. Every implementation is safe
 * to share between threads, and its failures are unchecked exceptions. Bench-only: kvs's own API
 * is {@link io.kvs.core.KvsEngine}.
 */
public interface BenchStore extends AutoCloseable {

    /** Stores {@code value} under {@code key}, replacing any previous value, with the store's default durability. */
    void set(String key, String value);

    /** The value stored under {@code key}, or empty if there is none. */
    Optional<String> get(String key);

    /**
     * Sets every one of {@code keys} to {@code value}: for filling a store before a measurement,
     * never timed. By default one {@link #set} per key; a peer whose every set is a durable
     * transaction batches them instead.
     */
    default void load(String[] keys, String value) {
        for (String key : keys) {
            set(key, value);
        }
    }

    /** Flushes and releases the store's files. Calling it twice is harmless. */
    @Override
    void close();
}
