package io.kvs.core.xodus;

import io.kvs.core.CorruptLogException;
import io.kvs.core.Entry;
import io.kvs.core.KvsLimits;
import io.kvs.core.LimitExceededException;
import io.kvs.core.ScanOrder;
import io.kvs.core.ScanPage;
import io.kvs.core.StorageException;
import jetbrains.exodus.ArrayByteIterable;
import jetbrains.exodus.ByteIterable;
import jetbrains.exodus.ExodusException;
import jetbrains.exodus.backup.BackupStrategy;
import jetbrains.exodus.backup.VirtualFileDescriptor;
import jetbrains.exodus.env.Cursor;
import jetbrains.exodus.env.Environment;
import jetbrains.exodus.env.EnvironmentConfig;
import jetbrains.exodus.env.Environments;
import jetbrains.exodus.env.Store;
import jetbrains.exodus.env.StoreConfig;
import jetbrains.exodus.env.Transaction;
import jetbrains.exodus.log.DataCorruptionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The Xodus {@link Environment} holding kvs's data: every call into Xodus goes through this
 * class, so that {@link XodusKvsEngine} itself loads without Xodus on the class path and can
 * report its absence. Xodus {@link ExodusException}s become {@link StorageException}s (damaged
 * data: {@link CorruptLogException}) naming the operation and the directory.
 *
 * <p>Layout (format 2; {@code docs/FORMAT.md}):
 * <ul>
 *   <li>store {@value #STORE_NAME}: key {@code 'h'}, the key's {@link ScanOrder} position
 *       (8 bytes, big-endian, so Xodus's byte order is scan order), the key's bytes; value: a
 *       tag byte, 0 (no expiry) or 1 (then the expiry, 8 bytes big-endian), then the value.
 *   <li>store {@value #EXPIRY_STORE_NAME}: key the expiry (8 bytes big-endian) followed by the
 *       data key, empty value: the keys with an expiry, in due order, for the sweep.
 *   <li>store {@value #META_STORE_NAME}: the transaction metadata under {@code "metadata"}.
 * </ul>
 * Format 1 stored {@code 'k'} and the key, the raw value; such entries are rewritten on open.
 *
 * <p>Thread-safe as Xodus is; the caller keeps operations and {@link #close()} apart.
 */
final class XodusEnvironment {

    private static final Logger LOG = LoggerFactory.getLogger(XodusEnvironment.class);

    /** The name of the Xodus store holding the data. */
    static final String STORE_NAME = "kvs";
    /** The name of the store listing the keys with an expiry. */
    static final String EXPIRY_STORE_NAME = "kvs-expiry";
    /** The name of the store holding the transaction metadata. */
    static final String META_STORE_NAME = "kvs-meta";
    /** Xodus log file size in KiB: large enough for the largest value in one file. */
    static final long LOG_FILE_KIB = 64 * 1024;
    private static final byte DATA_PREFIX = 'h';
    private static final byte FORMAT1_PREFIX = 'k';
    private static final int DATA_KEY_HEADER = 1 + Long.BYTES;
    private static final byte TAG_PLAIN = 0;
    private static final byte TAG_EXPIRING = 1;
    private static final ByteIterable METADATA_KEY = new ArrayByteIterable("metadata".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    private static final int MIGRATION_BATCH = 10_000;

    private final Path dir;
    private final Environment environment;
    private final Store store;
    private final Store expiries;
    private final Store meta;

    private XodusEnvironment(Path dir, Environment environment, Store store, Store expiries, Store meta) {
        this.dir = dir;
        this.environment = environment;
        this.store = store;
        this.expiries = expiries;
        this.meta = meta;
    }

    /**
     * The Xodus classes this engine starts from, one from each artifact (xodus-environment,
     * xodus-openAPI), loaded but not initialized: a cheap probe for Xodus on the class path.
     *
     * @throws NoClassDefFoundError naming the first class missing from the class path
     */
    static List<Class<?>> requiredClasses() {
        return List.of(Environments.class, ExodusException.class);
    }

    /**
     * Opens (or creates) the environment in {@code dir}, rewriting format-1 entries;
     * {@code durableWrites} makes Xodus force every commit.
     *
     * @throws StorageException if Xodus cannot open its files
     */
    static XodusEnvironment open(Path dir, boolean durableWrites) {
        EnvironmentConfig config = new EnvironmentConfig()
                .setLogFileSize(LOG_FILE_KIB)
                .setLogDurableWrite(durableWrites)
                .setEnvCloseForcedly(true);
        Environment environment;
        try {
            environment = Environments.newInstance(dir.toFile(), config);
        } catch (ExodusException e) {
            throw new StorageException("cannot open Xodus environment in " + dir + ": " + e.getMessage(), e);
        }
        try {
            Store[] stores = environment.computeInTransaction(txn -> new Store[] {
                    environment.openStore(STORE_NAME, StoreConfig.WITHOUT_DUPLICATES, txn),
                    environment.openStore(EXPIRY_STORE_NAME, StoreConfig.WITHOUT_DUPLICATES, txn),
                    environment.openStore(META_STORE_NAME, StoreConfig.WITHOUT_DUPLICATES, txn)});
            XodusEnvironment opened = new XodusEnvironment(dir, environment, stores[0], stores[1], stores[2]);
            opened.migrateFormat1();
            return opened;
        } catch (DataCorruptionException e) {
            environment.close();
            throw new CorruptLogException("xodus open found damaged data (" + e.getMessage() + ")", dir, 0);
        } catch (ExodusException e) {
            environment.close();
            throw new StorageException("cannot open Xodus store " + STORE_NAME + " in " + dir + ": " + e.getMessage(), e);
        } catch (RuntimeException | Error e) {
            environment.close();
            throw e;
        }
    }

    /** Rewrites format-1 entries ({@code 'k'} + key, raw value) in the format-2 layout, a batch per transaction. */
    private void migrateFormat1() {
        long moved = 0;
        while (true) {
            int batch = environment.computeInExclusiveTransaction(txn -> {
                int count = 0;
                try (Cursor cursor = store.openCursor(txn)) {
                    ByteIterable found = cursor.getSearchKeyRange(new ArrayByteIterable(new byte[] {FORMAT1_PREFIX}));
                    List<byte[][]> entries = new ArrayList<>();
                    while (found != null && count < MIGRATION_BATCH) {
                        byte[] k = bytes(cursor.getKey());
                        if (k.length == 0 || k[0] != FORMAT1_PREFIX) {
                            break;
                        }
                        entries.add(new byte[][] {Arrays.copyOfRange(k, 1, k.length), bytes(cursor.getValue())});
                        count++;
                        found = cursor.getNext() ? cursor.getValue() : null;
                    }
                    for (byte[][] entry : entries) {
                        byte[] old = new byte[entry[0].length + 1];
                        old[0] = FORMAT1_PREFIX;
                        System.arraycopy(entry[0], 0, old, 1, entry[0].length);
                        store.delete(txn, new ArrayByteIterable(old));
                        store.put(txn, dataKey(entry[0]), encodeValue(Entry.of(entry[1])));
                    }
                }
                return count;
            });
            moved += batch;
            if (batch < MIGRATION_BATCH) {
                break;
            }
            LOG.info("rewriting format-1 entries of {}: {} done", dir, moved);
        }
        if (moved > 0) {
            LOG.info("rewrote {} format-1 entries of {} in format 2", moved, dir);
        }
    }

    /** The live entry under {@code key} at {@code nowMillis}, or null. */
    Entry get(byte[] key, long nowMillis) {
        ByteIterable k = dataKey(key);
        return call(() -> environment.computeInReadonlyTransaction(txn -> live(store.get(txn, k), nowMillis)), "get");
    }

    /** The value under {@code key} at {@code nowMillis}, decoded from UTF-8, or null; no copy beyond the decoding. */
    String getString(byte[] key, long nowMillis) {
        ByteIterable k = dataKey(key);
        return call(() -> environment.computeInReadonlyTransaction(txn -> {
            ByteIterable value = store.get(txn, k);
            if (value == null) {
                return null;
            }
            byte[] raw = value.getBytesUnsafe();
            int length = value.getLength();
            if (raw[0] == TAG_PLAIN) {
                return new String(raw, 1, length - 1, java.nio.charset.StandardCharsets.UTF_8);
            }
            Entry entry = decodeValue(raw, length);
            return entry.isExpiredAt(nowMillis) ? null : new String(entry.value(), java.nio.charset.StandardCharsets.UTF_8);
        }), "get");
    }

    /** Stores {@code value} under {@code key} without expiry, in a transaction of its own. */
    void put(byte[] key, byte[] value) {
        ByteIterable k = dataKey(key);
        ByteIterable v = encodeValue(Entry.of(value));
        call(() -> {
            environment.executeInTransaction(txn -> {
                if (expiries.count(txn) > 0) {
                    forgetExpiry(txn, k, store.get(txn, k));
                }
                store.put(txn, k, v);
            });
            return null;
        }, "set");
    }

    /** Runs {@code work} in one exclusive Xodus transaction: serialized with every other write, all or nothing. */
    <T> T atomically(Function<Transaction, T> work) {
        return call(() -> environment.computeInExclusiveTransaction(work::apply), "transaction");
    }

    /** Reads {@code key} in {@code txn}: the live entry at {@code nowMillis}, or null. */
    Entry get(Transaction txn, byte[] key, long nowMillis) {
        return live(store.get(txn, dataKey(key)), nowMillis);
    }

    /** Writes {@code entry} under {@code key} in {@code txn}, keeping the expiry store in step. */
    void put(Transaction txn, byte[] key, Entry entry) {
        ByteIterable k = dataKey(key);
        forgetExpiry(txn, k, store.get(txn, k));
        store.put(txn, k, encodeValue(entry));
        if (entry.hasExpiry()) {
            expiries.put(txn, expiryKey(entry.expiresAtMillis(), k), ArrayByteIterable.EMPTY);
        }
    }

    /** Deletes {@code key} in {@code txn}; returns whether it held a live entry at {@code nowMillis}. */
    boolean delete(Transaction txn, byte[] key, long nowMillis) {
        ByteIterable k = dataKey(key);
        ByteIterable value = store.get(txn, k);
        if (value == null) {
            return false;
        }
        forgetExpiry(txn, k, value);
        store.delete(txn, k);
        return live(value, nowMillis) != null;
    }

    /** Records the metadata in {@code txn}. */
    void setMetadata(Transaction txn, byte[] metadata) {
        meta.put(txn, METADATA_KEY, new ArrayByteIterable(metadata));
    }

    /** The metadata last recorded, or null. */
    byte[] metadata() {
        return call(() -> environment.computeInReadonlyTransaction(txn -> {
            ByteIterable value = meta.get(txn, METADATA_KEY);
            return value == null ? null : bytes(value);
        }), "metadata");
    }

    /** One scan page (see {@code KvsEngine.scan}): up to {@code count} keys examined from {@code cursor}. */
    ScanPage scan(long cursor, int count, byte[] prefix, long nowMillis) {
        return call(() -> environment.computeInReadonlyTransaction(txn -> {
            List<byte[]> keys = new ArrayList<>();
            try (Cursor c = store.openCursor(txn)) {
                ByteIterable value = c.getSearchKeyRange(positionKey(cursor));
                int examined = 0;
                long last = 0;
                while (value != null) {
                    byte[] k = bytes(c.getKey());
                    if (k.length < DATA_KEY_HEADER || k[0] != DATA_PREFIX) {
                        break;
                    }
                    long position = readLongBigEndian(k, 1);
                    if (examined >= count && position != last) {
                        return new ScanPage(keys, position);
                    }
                    examined++;
                    last = position;
                    byte[] key = Arrays.copyOfRange(k, DATA_KEY_HEADER, k.length);
                    if (ScanOrder.hasPrefix(key, prefix) && live(value, nowMillis) != null) {
                        keys.add(key);
                    }
                    value = c.getNext() ? c.getValue() : null;
                }
            }
            return new ScanPage(keys, ScanPage.DONE);
        }), "scan");
    }

    /** Deletes up to {@code budget} entries whose expiry has come by {@code nowMillis}; returns how many. */
    int reclaimExpired(long nowMillis, int budget) {
        return call(() -> environment.computeInExclusiveTransaction(txn -> {
            int reclaimed = 0;
            List<byte[]> due = new ArrayList<>();
            try (Cursor c = expiries.openCursor(txn)) {
                while (due.size() < budget && c.getNext()) {
                    byte[] k = bytes(c.getKey());
                    if (readLongBigEndian(k, 0) > nowMillis) {
                        break;
                    }
                    due.add(k);
                }
            }
            for (byte[] k : due) {
                expiries.delete(txn, new ArrayByteIterable(k));
                ByteIterable dataKey = new ArrayByteIterable(Arrays.copyOfRange(k, Long.BYTES, k.length));
                ByteIterable value = store.get(txn, dataKey);
                if (value != null && live(value, nowMillis) == null) {
                    store.delete(txn, dataKey);
                    reclaimed++;
                }
            }
            return reclaimed;
        }), "expiry sweep");
    }

    /** The earliest expiry of any key, or {@link Long#MAX_VALUE} if no key has one. */
    long earliestExpiry() {
        return call(() -> environment.computeInReadonlyTransaction(txn -> {
            try (Cursor c = expiries.openCursor(txn)) {
                return c.getNext() ? readLongBigEndian(bytes(c.getKey()), 0) : Long.MAX_VALUE;
            }
        }), "expiry sweep");
    }

    /** Entries in the data store (expired ones not yet reclaimed included), and of them those with an expiry. */
    long[] counts() {
        return call(() -> environment.computeInReadonlyTransaction(txn -> new long[] {store.count(txn), expiries.count(txn)}),
                "stats");
    }

    /**
     * Copies a consistent snapshot of the environment's files into {@code target} with Xodus's
     * own backup strategy (the log files up to the last committed transaction), syncing each.
     */
    void backup(Path target) {
        BackupStrategy strategy = environment.getBackupStrategy();
        try {
            strategy.beforeBackup();
            try {
                for (VirtualFileDescriptor file : strategy.getContents()) {
                    if (!file.hasContent()) {
                        continue;
                    }
                    long length = Math.min(file.getFileSize(), strategy.acceptFile(file));
                    if (length <= 0) {
                        continue;
                    }
                    Path copy = target.resolve(file.getPath()).resolve(file.getName());
                    Files.createDirectories(copy.getParent());
                    try (InputStream in = file.getInputStream(); OutputStream out = Files.newOutputStream(copy)) {
                        copyPrefix(in, out, length);
                    }
                    try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(copy,
                            java.nio.file.StandardOpenOption.WRITE)) {
                        channel.force(true);
                    }
                }
            } finally {
                strategy.afterBackup();
            }
        } catch (IOException e) {
            throw new StorageException("cannot write Xodus checkpoint " + target + ": " + e.getMessage(), e);
        } catch (ExodusException e) {
            throw new StorageException("xodus checkpoint failed in " + dir + ": " + e.getMessage(), e);
        } catch (Exception e) {
            throw new StorageException("xodus checkpoint failed in " + dir + ": " + e, e);
        }
    }

    /** Commits outstanding data and closes the environment. */
    void close() {
        environment.close();
    }

    private static void copyPrefix(InputStream in, OutputStream out, long length) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long left = length;
        while (left > 0) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
                throw new IOException("file ended " + left + " bytes early");
            }
            out.write(buffer, 0, n);
            left -= n;
        }
    }

    /** Removes the expiry-store entry of the data key, if its current value has an expiry. */
    private void forgetExpiry(Transaction txn, ByteIterable dataKey, ByteIterable currentValue) {
        if (currentValue == null) {
            return;
        }
        byte[] raw = currentValue.getBytesUnsafe();
        if (raw[0] == TAG_EXPIRING) {
            expiries.delete(txn, expiryKey(readLongBigEndian(raw, 1), dataKey));
        }
    }

    private static Entry live(ByteIterable value, long nowMillis) {
        if (value == null) {
            return null;
        }
        Entry entry = decodeValue(value.getBytesUnsafe(), value.getLength());
        return entry.isExpiredAt(nowMillis) ? null : entry;
    }

    static ByteIterable dataKey(byte[] key) {
        byte[] k = new byte[DATA_KEY_HEADER + key.length];
        k[0] = DATA_PREFIX;
        writeLongBigEndian(k, 1, ScanOrder.position(key));
        System.arraycopy(key, 0, k, DATA_KEY_HEADER, key.length);
        return new ArrayByteIterable(k);
    }

    private static ByteIterable positionKey(long position) {
        byte[] k = new byte[DATA_KEY_HEADER];
        k[0] = DATA_PREFIX;
        writeLongBigEndian(k, 1, position);
        return new ArrayByteIterable(k);
    }

    private static ByteIterable expiryKey(long expiresAtMillis, ByteIterable dataKey) {
        byte[] data = bytes(dataKey);
        byte[] k = new byte[Long.BYTES + data.length];
        writeLongBigEndian(k, 0, expiresAtMillis);
        System.arraycopy(data, 0, k, Long.BYTES, data.length);
        return new ArrayByteIterable(k);
    }

    static ByteIterable encodeValue(Entry entry) {
        byte[] value = entry.value();
        if (!entry.hasExpiry()) {
            byte[] v = new byte[1 + value.length];
            v[0] = TAG_PLAIN;
            System.arraycopy(value, 0, v, 1, value.length);
            return new ArrayByteIterable(v);
        }
        byte[] v = new byte[1 + Long.BYTES + value.length];
        v[0] = TAG_EXPIRING;
        writeLongBigEndian(v, 1, entry.expiresAtMillis());
        System.arraycopy(value, 0, v, 1 + Long.BYTES, value.length);
        return new ArrayByteIterable(v);
    }

    private static Entry decodeValue(byte[] raw, int length) {
        if (length >= 1 && raw[0] == TAG_PLAIN) {
            return Entry.of(Arrays.copyOfRange(raw, 1, length));
        }
        if (length >= 1 + Long.BYTES && raw[0] == TAG_EXPIRING) {
            return Entry.of(Arrays.copyOfRange(raw, 1 + Long.BYTES, length), readLongBigEndian(raw, 1));
        }
        throw new DamagedValueException("kvs value with an unknown tag " + (length == 0 ? "(empty)" : raw[0]));
    }

    private static byte[] bytes(ByteIterable iterable) {
        return Arrays.copyOf(iterable.getBytesUnsafe(), iterable.getLength());
    }

    private static long readLongBigEndian(byte[] bytes, int offset) {
        long value = 0;
        for (int i = 0; i < Long.BYTES; i++) {
            value = (value << 8) | (bytes[offset + i] & 0xFFL);
        }
        return value;
    }

    private static void writeLongBigEndian(byte[] bytes, int offset, long value) {
        for (int i = Long.BYTES - 1; i >= 0; i--) {
            bytes[offset + i] = (byte) value;
            value >>>= 8;
        }
    }

    /** A stored value that does not decode: damaged data, reported as {@link CorruptLogException}. */
    private static final class DamagedValueException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        DamagedValueException(String message) {
            super(message);
        }
    }

    /** Fails a transaction whose writes exceed the batch limit. */
    static void checkBatchBytes(long bytes) {
        if (bytes > KvsLimits.MAX_BATCH_BYTES) {
            throw new LimitExceededException("transaction", bytes, KvsLimits.MAX_BATCH_BYTES);
        }
    }

    /**
     * Runs an operation, mapping Xodus's failures onto the kvs exceptions: damaged data is
     * {@link CorruptLogException} (Xodus does not say where: the directory and offset 0), any
     * other Xodus failure (a full disk among them) {@link StorageException}.
     */
    private <T> T call(Supplier<T> operation, String what) {
        try {
            return operation.get();
        } catch (DataCorruptionException | DamagedValueException e) {
            throw new CorruptLogException("xodus " + what + " found damaged data (" + e.getMessage() + ")", dir, 0);
        } catch (ExodusException e) {
            throw new StorageException("xodus " + what + " failed in " + dir + ": " + e.getMessage(), e);
        }
    }
}
