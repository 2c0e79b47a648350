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

    /**
     * Sets every one of {@code keys} to {@code value} as one atomic unit (after a crash all of
     * them or none), with the store's own atomic write: kvs's {@code WriteBatch}, a RocksDB
     * {@code WriteBatch}, one LMDB write transaction, one H2 MVStore commit.
     *
     * @throws UnsupportedOperationException if the store has no atomic multi-key write
     */
    default void setAtomically(String[] keys, String value) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " has no atomic batch");
    }

    /**
     * Adds one to the decimal counter under {@code key} (absent counts as 0), atomically with
     * respect to every other write, and returns the new count.
     *
     * @throws UnsupportedOperationException if the store has no atomic read-modify-write
     */
    default long increment(String key) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " has no atomic read-modify-write");
    }

    /** Visits every key in the store (in the store's own order) and returns how many there were. */
    default long scanAll() {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " has no scan");
    }

    /**
     * Stores {@code value} under {@code key}, expiring {@code ttlMillis} from now.
     *
     * @throws UnsupportedOperationException if the store has no per-key expiry
     */
    default void setWithTtl(String key, String value, long ttlMillis) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " has no per-key expiry");
    }

    /** Flushes and releases the store's files. Calling it twice is harmless. */
    @Override
    void close();
}
