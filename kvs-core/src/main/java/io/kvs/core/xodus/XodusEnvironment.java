package io.kvs.core.xodus;

import io.kvs.core.CorruptLogException;
import io.kvs.core.StorageException;
import jetbrains.exodus.ArrayByteIterable;
import jetbrains.exodus.ByteIterable;
import jetbrains.exodus.ExodusException;
import jetbrains.exodus.log.DataCorruptionException;
import jetbrains.exodus.env.Environment;
import jetbrains.exodus.env.EnvironmentConfig;
import jetbrains.exodus.env.Environments;
import jetbrains.exodus.env.Store;
import jetbrains.exodus.env.StoreConfig;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

/**
 * The Xodus {@link Environment} holding kvs's one store: every call into Xodus goes through
 * this class, so that {@link XodusKvsEngine} itself loads without Xodus on the class path and
 * can report its absence. Each operation runs in one transaction of its own; Xodus
 * {@link ExodusException}s become {@link StorageException}s (damaged data: {@link CorruptLogException}) naming the operation and the directory.
 *
 * <p>Keys are stored behind a one-byte prefix, because Xodus does not store an empty key and
 * kvs allows one. Thread-safe as Xodus is; the caller keeps operations and {@link #close()}
 * apart.
 */
final class XodusEnvironment {

    /** The name of the Xodus store holding the data. */
    static final String STORE_NAME = "kvs";
    /** Xodus log file size in KiB: large enough for the largest value in one file. */
    static final long LOG_FILE_KIB = 64 * 1024;
    private static final byte KEY_PREFIX = 'k';

    private final Path dir;
    private final Environment environment;
    private final Store store;

    private XodusEnvironment(Path dir, Environment environment, Store store) {
        this.dir = dir;
        this.environment = environment;
        this.store = store;
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
     * Opens (or creates) the environment in {@code dir}; {@code durableWrites} makes Xodus force
     * every commit.
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
            Store store = environment.computeInTransaction(
                    txn -> environment.openStore(STORE_NAME, StoreConfig.WITHOUT_DUPLICATES, txn));
            return new XodusEnvironment(dir, environment, store);
        } catch (ExodusException e) {
            environment.close();
            throw new StorageException("cannot open Xodus store " + STORE_NAME + " in " + dir + ": " + e.getMessage(), e);
        } catch (RuntimeException | Error e) {
            environment.close();
            throw e;
        }
    }

    /** Stores {@code value} under {@code key}, replacing any previous value. */
    void put(byte[] key, byte[] value) {
        ByteIterable k = prefixed(key);
        ByteIterable v = new ArrayByteIterable(value);
        call(() -> {
            environment.executeInTransaction(txn -> store.put(txn, k, v));
            return null;
        }, "set");
    }

    /** The value stored under {@code key}, decoded from UTF-8, or null if there is none. */
    String get(byte[] key) {
        ByteIterable k = prefixed(key);
        return call(() -> environment.computeInReadonlyTransaction(txn -> {
            ByteIterable value = store.get(txn, k);
            return value == null ? null : new String(value.getBytesUnsafe(), 0, value.getLength(), StandardCharsets.UTF_8);
        }), "get");
    }

    /** Deletes {@code key}; returns whether it was there. */
    boolean delete(byte[] key) {
        ByteIterable k = prefixed(key);
        return call(() -> environment.computeInTransaction(txn -> store.delete(txn, k)), "remove");
    }

    /** Commits outstanding data and closes the environment. */
    void close() {
        environment.close();
    }

    private static ByteIterable prefixed(byte[] key) {
        byte[] prefixed = new byte[key.length + 1];
        prefixed[0] = KEY_PREFIX;
        System.arraycopy(key, 0, prefixed, 1, key.length);
        return new ArrayByteIterable(prefixed);
    }

    /**
     * Runs an operation, mapping Xodus's failures onto the kvs exceptions: damaged data is
     * {@link CorruptLogException} (Xodus does not say where: the directory and offset 0), any
     * other Xodus failure (a full disk among them) {@link StorageException}.
     */
    private <T> T call(Supplier<T> operation, String what) {
        try {
            return operation.get();
        } catch (DataCorruptionException e) {
            throw new CorruptLogException("xodus " + what + " found damaged data (" + e.getMessage() + ")", dir, 0);
        } catch (ExodusException e) {
            throw new StorageException("xodus " + what + " failed in " + dir + ": " + e.getMessage(), e);
        }
    }
}
