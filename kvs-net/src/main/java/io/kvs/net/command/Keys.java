package io.kvs.net.command;

import io.kvs.core.Entry;
import io.kvs.core.ScanPage;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The key space a {@link DataCommand} reads and writes: the engine itself ({@link EngineKeys}:
 * each call atomic on its own) or one engine transaction ({@link TransactionKeys}: a MULTI/EXEC
 * block, all calls one atomic unit). A command is written once against this interface and means
 * the same in both. Times are the engine clock's milliseconds.
 */
public interface Keys {

    /** The live entry of {@code key}, if any. */
    Optional<Entry> get(byte[] key);

    /**
     * A hint that {@code keys} are about to be read ({@link io.kvs.core.KvsEngine#prefetch}):
     * changes nothing; the default does nothing.
     */
    default void prefetch(List<byte[]> keys) {
    }

    /** Sets {@code key} to {@code entry} (its expiry included). */
    void put(byte[] key, Entry entry);

    /** Removes {@code key}; true if it existed. */
    boolean delete(byte[] key);

    /**
     * Replaces the entry of {@code key} by {@code function} of it (null in, absent; null out,
     * removed), atomically with respect to every other write; returns what {@code function}
     * returned.
     */
    Optional<Entry> update(byte[] key, UnaryOperator<Entry> function);

    /** Runs {@code work} with every read and write in it one atomic unit. */
    <T> T atomically(Function<Keys, T> work);

    /** One page of the live keys from {@code cursor} (see {@link io.kvs.core.KvsEngine#scan}). */
    ScanPage scan(long cursor, int count, byte[] prefix);

    /** The number of live keys. */
    long size();

    /** The engine clock's time. */
    long nowMillis();
}
