package io.kvs.core;

import java.util.Optional;

/**
 * The view of the store inside {@link KvsEngine#atomically}: reads see the store as it is plus
 * this transaction's own writes, and the writes become durable and visible together when the
 * work returns, or not at all if it throws. No other write runs in between.
 *
 * <p>Confined to the thread running the work, and valid only until the work returns. Arguments
 * are checked as the engine's own methods check them ({@link LimitExceededException},
 * {@link NullPointerException}). A transaction's writes together are bounded by
 * {@link KvsLimits#MAX_BATCH_BYTES}.
 */
public interface Transaction {

    /** The entry under {@code key} (with this transaction's writes applied), or empty if there is none or it has expired. */
    Optional<Entry> get(byte[] key);

    /** Stores {@code entry} under {@code key}; an entry whose expiry has passed removes the key. */
    void put(byte[] key, Entry entry);

    /** Stores {@code value} under {@code key} without an expiry. */
    default void set(byte[] key, byte[] value) {
        put(key, Entry.of(value));
    }

    /** Removes {@code key}; returns whether it existed (and had not expired). */
    boolean delete(byte[] key);

    /**
     * Records {@code metadata} (at most {@link KvsLimits#MAX_METADATA_BYTES}) atomically with this
     * transaction's writes: {@link KvsEngine#metadata()} returns it from then on, across restarts,
     * compaction and checkpoints. The replicated mode records its applied log index here.
     */
    void setMetadata(byte[] metadata);

    /** The current time of the engine's clock, in milliseconds since the epoch. */
    long nowMillis();
}
