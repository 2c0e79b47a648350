package io.kvs.core;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * A persistent map from keys to values, with expiry, atomic transactions, scans, checkpoints and
 * stats.
 *
 * <p>Keys and values are bytes; the String methods store a string as its UTF-8 bytes, so a key
 * set as a string is found by its UTF-8 bytes and the reverse. Sizes are bounded by
 * {@link KvsLimits#MAX_KEY_BYTES} and {@link KvsLimits#MAX_VALUE_BYTES}, enforced with
 * {@link LimitExceededException}. A key may expire ({@link Entry}): from its expiry time on it is
 * gone for every read, before and after a restart, and its space is reclaimed in the background.
 * Times come from the engine's {@link #clock()}.
 *
 * <p>Every implementation is safe to share between many threads at once. Each single operation
 * is atomic; {@link #atomically} makes several reads and writes one atomic unit. A concurrent
 * reader of several keys may see some of a transaction's writes before others while it is being
 * applied (each single read returns the value either before or after the transaction); once
 * {@code atomically} returns, every read sees all of them. All failures are unchecked
 * {@link KvsException}s, except {@link NullPointerException} for a null argument.
 */
public interface KvsEngine extends AutoCloseable {

    /**
     * Stores {@code value} under {@code key}, replacing any previous value (and clearing any
     * expiry). When this method returns, the write is acknowledged: it survives a crash of the
     * process, and with {@link SyncPolicy#ALWAYS} also a power loss.
     *
     * @throws LimitExceededException if the key or value is larger than its limit
     * @throws InvalidStringException if the key or value is not valid Unicode
     * @throws EngineClosedException if the engine was closed
     * @throws KvsException if the value could not be written; nothing is acknowledged then
     */
    void set(String key, String value);

    /**
     * Returns the value stored under {@code key}, decoded from UTF-8, or empty if the key does
     * not exist or has expired.
     *
     * @throws CorruptLogException if the stored record fails its checksum
     * @throws EngineClosedException if the engine was closed
     * @throws KvsException if the value could not be read
     */
    Optional<String> get(String key);

    /**
     * Deletes {@code key}.
     *
     * @throws KeyNotFoundException if the key does not exist (or has expired)
     * @throws EngineClosedException if the engine was closed
     * @throws KvsException if the removal could not be written
     */
    void remove(String key);

    /** Stores {@code value} under {@code key} without expiry; as {@link #set(String, String)}, bytes as they are. */
    void set(byte[] key, byte[] value);

    /**
     * Stores {@code value} under {@code key}, expiring at {@code expiresAtMillis} (milliseconds
     * since the epoch by {@link #clock()}; {@link Entry#NO_EXPIRY}: never). A time that has
     * already come removes the key, as Redis's {@code SET … PXAT} does.
     *
     * @throws IllegalArgumentException if {@code expiresAtMillis} is negative
     */
    void set(byte[] key, byte[] value, long expiresAtMillis);

    /** The value under {@code key}, or empty if there is none or it has expired; the array is the caller's. */
    Optional<byte[]> get(byte[] key);

    /** The value and expiry under {@code key}, or empty if there is none or it has expired. */
    Optional<Entry> getEntry(byte[] key);

    /**
     * A hint that {@code keys} are about to be read, each by its own call: an engine may bring
     * their index entries and records into the CPU's caches now, all together, so that the reads
     * that follow do not each wait for memory in turn. Changes nothing, returns nothing, and
     * ignores keys it cannot use (null, over the limit); the default does nothing. Thread-safe.
     */
    default void prefetch(List<byte[]> keys) {
    }

    /** True if {@code key} exists and has not expired; cheaper than {@link #get(byte[])} (the value is not read). */
    boolean containsKey(byte[] key);

    /**
     * Deletes {@code key}.
     *
     * @throws KeyNotFoundException if the key does not exist (or has expired)
     */
    default void remove(byte[] key) {
        if (!delete(key)) {
            throw new KeyNotFoundException(new String(key, java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    /** Deletes {@code key} if it exists; returns whether it did (Redis's {@code DEL}). */
    boolean delete(byte[] key);

    /** The time {@code key} has left: no key, no expiry, or the remaining milliseconds. */
    Ttl ttl(byte[] key);

    /**
     * Sets, changes or (with {@link Entry#NO_EXPIRY}) clears the expiry of an existing key,
     * keeping its value; a time that has come removes it. Returns false, and writes nothing, if
     * the key does not exist.
     *
     * @throws IllegalArgumentException if {@code expiresAtMillis} is negative
     */
    default boolean expire(byte[] key, long expiresAtMillis) {
        KvsLimits.checkKey(key);
        Entry.checkExpiry(expiresAtMillis);
        return atomically(transaction -> {
            Optional<Entry> current = transaction.get(key);
            current.ifPresent(entry -> transaction.put(key, entry.withExpiry(expiresAtMillis)));
            return current.isPresent();
        });
    }

    /**
     * Runs {@code work} as one atomic unit and returns its result: its reads see the store plus
     * its own writes, no other write interleaves with it, and its writes are written as one
     * unit, so after a crash at any point either all of them are present or none. If
     * {@code work} throws, nothing it wrote is applied and the exception propagates. The work
     * holds the engine's write lock (other writers wait for it): keep it short, and do not call
     * the engine from inside it except through the {@link Transaction}.
     *
     * @throws LimitExceededException if the writes together exceed {@link KvsLimits#MAX_BATCH_BYTES}
     * @throws EngineClosedException if the engine was closed
     * @throws KvsException if the writes could not be written; none of them is applied then
     */
    <T> T atomically(Function<Transaction, T> work);

    /** Applies {@code batch} as one atomic unit (see {@link #atomically}). */
    default void write(WriteBatch batch) {
        atomically(transaction -> {
            batch.applyTo(transaction);
            return null;
        });
    }

    /**
     * Atomically replaces the entry under {@code key} with what {@code function} returns for the
     * current one (null when there is none, or it has expired): null removes the key, the very
     * entry passed in writes nothing, any other entry is stored. Returns the entry now stored.
     * Enough for increment, append, get-and-set, set-if-absent, compare-and-set and the like:
     * no other write to any key runs between the read and the write.
     */
    default Optional<Entry> update(byte[] key, UnaryOperator<Entry> function) {
        return atomically(transaction -> {
            Entry current = transaction.get(key).orElse(null);
            Entry next = function.apply(current);
            if (next == current) {
                return Optional.ofNullable(current);
            }
            if (next == null) {
                transaction.delete(key);
                return Optional.<Entry>empty();
            }
            transaction.put(key, next);
            return next.isExpiredAt(transaction.nowMillis()) ? Optional.<Entry>empty() : Optional.of(next);
        });
    }

    /**
     * Returns the page of live keys that starts at {@code cursor} ({@link ScanPage#DONE} to
     * start): the keys among the next {@code count} or so in {@link ScanOrder} that start with
     * {@code prefix} (empty: every key). Redis {@code SCAN}'s guarantee holds: a key present and
     * unchanged from the start of a scan to its end is returned at least once, a key that did not
     * exist during the scan never is; one that was written or removed meanwhile may or may not
     * be, and a key may be returned twice. Each page's work and memory are bounded by
     * {@code count}; it holds no lock that writers or compaction wait for longer than that work.
     * Any cursor is valid, across writes, compaction and restarts.
     *
     * @throws IllegalArgumentException if {@code count} is not between 1 and {@link KvsLimits#MAX_SCAN_COUNT}
     */
    ScanPage scan(long cursor, int count, byte[] prefix);

    /** {@link #scan(long, int, byte[])} of every key. */
    default ScanPage scan(long cursor, int count) {
        return scan(cursor, count, new byte[0]);
    }

    /**
     * Calls {@code action} with each live key that starts with {@code prefix} and its value, in
     * {@link ScanOrder}, with the guarantee of {@link #scan}; a key removed while the scan runs
     * is skipped. Page by page: memory stays bounded however large the store.
     */
    default void forEach(byte[] prefix, BiConsumer<byte[], byte[]> action) {
        long cursor = ScanPage.DONE;
        do {
            ScanPage page = scan(cursor, KvsLimits.DEFAULT_SCAN_COUNT, prefix);
            for (byte[] key : page.keys()) {
                get(key).ifPresent(value -> action.accept(key, value));
            }
            cursor = page.cursor();
        } while (cursor != ScanPage.DONE);
    }

    /** The number of live keys; expired keys are not counted. */
    long size();

    /** The metadata last recorded by a transaction ({@link Transaction#setMetadata}), or empty if none ever was. */
    Optional<byte[]> metadata();

    /**
     * Writes a consistent point-in-time copy of the store into {@code target}, which must not
     * exist or be an empty directory, while reads and writes go on: it holds every write
     * acknowledged before the call and none begun after it returned, and opens as a store of
     * the same engine. Each file is synced, and the directory is complete once this returns.
     *
     * @throws KvsException if {@code target} is not empty, or is the store's directory or directly inside it
     * @throws StorageException if the copy cannot be written (what was written is removed)
     */
    void checkpoint(Path target);

    /** A snapshot of the engine's counters; cheap (no scan). */
    EngineStats stats();

    /** The clock expiry times are measured by. */
    Clock clock();

    /** The engine's name as {@code --engine} spells it and the data directory records it. */
    default String engineName() {
        return getClass().getSimpleName();
    }

    /**
     * Flushes all acknowledged writes to disk and releases the files and the directory lock.
     * Closing twice is harmless; every other call on a closed engine throws
     * {@link EngineClosedException}.
     */
    @Override
    void close();
}
