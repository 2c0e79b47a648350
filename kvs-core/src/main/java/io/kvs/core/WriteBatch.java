package io.kvs.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A list of writes that {@link KvsEngine#write} applies as one unit: after a crash at any point,
 * either all of them are present or none. Writes apply in the order added (a later write to the
 * same key wins). Build one per call; not thread-safe. A batch's writes are bounded together by
 * {@link KvsLimits#MAX_BATCH_BYTES}, checked when it is written.
 */
public final class WriteBatch {

    /** One write of a batch. */
    public sealed interface Write permits Put, Delete, Expire, Metadata {
    }

    /** Stores {@code entry} under {@code key}. */
    public record Put(byte[] key, Entry entry) implements Write {
    }

    /** Removes {@code key} if it exists (a missing key is not an error in a batch). */
    public record Delete(byte[] key) implements Write {
    }

    /** Sets the expiry of {@code key} if it exists ({@link Entry#NO_EXPIRY}: clears it). */
    public record Expire(byte[] key, long expiresAtMillis) implements Write {
    }

    /** Records {@code metadata} with the batch (see {@link Transaction#setMetadata}). */
    public record Metadata(byte[] metadata) implements Write {
    }

    private final List<Write> writes = new ArrayList<>();

    /** Adds a set of {@code key} to {@code value}, without expiry. */
    public WriteBatch set(byte[] key, byte[] value) {
        return put(key, Entry.of(value));
    }

    /** Adds a set of {@code key} to {@code value}, expiring at {@code expiresAtMillis}. */
    public WriteBatch set(byte[] key, byte[] value, long expiresAtMillis) {
        return put(key, Entry.of(value, expiresAtMillis));
    }

    /** Adds a write of {@code entry} under {@code key}. */
    public WriteBatch put(byte[] key, Entry entry) {
        writes.add(new Put(KvsLimits.checkKey(key), Objects.requireNonNull(entry, "entry must not be null")));
        return this;
    }

    /** Adds a removal of {@code key}, if it exists. */
    public WriteBatch delete(byte[] key) {
        writes.add(new Delete(KvsLimits.checkKey(key)));
        return this;
    }

    /** Adds an expiry change of {@code key}, if it exists. */
    public WriteBatch expire(byte[] key, long expiresAtMillis) {
        writes.add(new Expire(KvsLimits.checkKey(key), Entry.checkExpiry(expiresAtMillis)));
        return this;
    }

    /** Adds the metadata to record with the batch. */
    public WriteBatch metadata(byte[] metadata) {
        writes.add(new Metadata(KvsLimits.checkMetadata(metadata)));
        return this;
    }

    /** The writes in order (unmodifiable). */
    public List<Write> writes() {
        return Collections.unmodifiableList(writes);
    }

    /** The number of writes. */
    public int size() {
        return writes.size();
    }

    /** Applies the writes to {@code transaction} in order. */
    public void applyTo(Transaction transaction) {
        for (Write write : writes) {
            if (write instanceof Put put) {
                transaction.put(put.key(), put.entry());
            } else if (write instanceof Delete delete) {
                transaction.delete(delete.key());
            } else if (write instanceof Expire expire) {
                transaction.get(expire.key()).ifPresent(
                        entry -> transaction.put(expire.key(), entry.withExpiry(expire.expiresAtMillis())));
            } else if (write instanceof Metadata metadata) {
                transaction.setMetadata(metadata.metadata());
            }
        }
    }
}
