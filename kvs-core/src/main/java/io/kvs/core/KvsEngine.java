package io.kvs.core;

import java.util.Optional;

/**
 * A persistent map from string keys to string values.
 *
 * <p>Keys and values are arbitrary Unicode strings, including the empty string; they are stored
 * as UTF-8 and bounded by {@link KvsLimits#MAX_KEY_BYTES} and {@link KvsLimits#MAX_VALUE_BYTES}.
 * Every implementation is safe to share between many threads at once. All failures are
 * unchecked {@link KvsException}s, except {@link NullPointerException} for a null argument.
 */
public interface KvsEngine extends AutoCloseable {

    /**
     * Stores {@code value} under {@code key}, replacing any previous value. When this method
     * returns, the write is acknowledged: it survives a crash of the process, and with
     * {@link SyncPolicy#ALWAYS} also a power loss.
     *
     * @throws LimitExceededException if the key or value is larger than its limit
     * @throws InvalidStringException if the key or value is not valid Unicode
     * @throws EngineClosedException if the engine was closed
     * @throws KvsException if the value could not be written; nothing is acknowledged then
     */
    void set(String key, String value);

    /**
     * Returns the value stored under {@code key}, or empty if the key does not exist.
     *
     * @throws CorruptLogException if the stored record fails its checksum
     * @throws EngineClosedException if the engine was closed
     * @throws KvsException if the value could not be read
     */
    Optional<String> get(String key);

    /**
     * Deletes {@code key}.
     *
     * @throws KeyNotFoundException if the key does not exist
     * @throws EngineClosedException if the engine was closed
     * @throws KvsException if the removal could not be written
     */
    void remove(String key);

    /**
     * Flushes all acknowledged writes to disk and releases the files and the directory lock.
     * Closing twice is harmless; every other call on a closed engine throws
     * {@link EngineClosedException}.
     */
    @Override
    void close();
}
