package io.kvs.core.xodus;

import io.kvs.core.DataDirectory;
import io.kvs.core.EngineClosedException;
import io.kvs.core.KeyNotFoundException;
import io.kvs.core.KvsEngine;
import io.kvs.core.KvsException;
import io.kvs.core.KvsLimits;
import io.kvs.core.StorageException;
import io.kvs.core.SyncPolicy;
import jetbrains.exodus.ArrayByteIterable;
import jetbrains.exodus.ByteIterable;
import jetbrains.exodus.ExodusException;
import jetbrains.exodus.env.Environment;
import jetbrains.exodus.env.EnvironmentConfig;
import jetbrains.exodus.env.Environments;
import jetbrains.exodus.env.Store;
import jetbrains.exodus.env.StoreConfig;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * {@link KvsEngine} on a JetBrains Xodus {@link Environment} with one store: {@code set} and
 * {@code remove} run in a write transaction each, {@code get} in a read-only one.
 *
 * <p>Thread-safe: Xodus serializes write transactions and runs read-only transactions
 * concurrently. Keys are stored behind a one-byte prefix, because Xodus does not store an
 * empty key and kvs allows one.
 */
public final class XodusKvsEngine implements KvsEngine {

    /** The engine name recorded in the data directory. */
    public static final String ENGINE_NAME = "xodus";
    /** The name of the Xodus store holding the data. */
    static final String STORE_NAME = "kvs";
    /** Xodus log file size in KiB: large enough for the largest value in one file. */
    static final long LOG_FILE_KIB = 64 * 1024;
    private static final byte KEY_PREFIX = 'k';

    private final DataDirectory directory;
    private final Environment environment;
    private final Store store;
    /** Held shared by operations and exclusively by close, so close never races a transaction. */
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private volatile boolean closed;

    private XodusKvsEngine(DataDirectory directory, Environment environment) {
        this.directory = directory;
        this.environment = environment;
        this.store = environment.computeInTransaction(
                txn -> environment.openStore(STORE_NAME, StoreConfig.WITHOUT_DUPLICATES, txn));
    }

    /** Opens (or creates) the engine in {@code dir} with {@link SyncPolicy#EVERY_SECOND}-like durability. */
    public static XodusKvsEngine open(Path dir) {
        return open(dir, SyncPolicy.EVERY_SECOND);
    }

    /**
     * Opens (or creates) the engine in {@code dir}. {@link SyncPolicy#ALWAYS} makes Xodus force
     * every commit; the other policies let Xodus sync in the background.
     *
     * @throws io.kvs.core.DirectoryLockedException if another instance or process has it open
     * @throws io.kvs.core.EngineMismatchException if it holds another engine's data
     * @throws StorageException if Xodus cannot open its files
     */
    public static XodusKvsEngine open(Path dir, SyncPolicy syncPolicy) {
        Objects.requireNonNull(dir, "dir must not be null");
        Objects.requireNonNull(syncPolicy, "syncPolicy must not be null");
        DataDirectory directory = DataDirectory.claim(dir, ENGINE_NAME);
        try {
            EnvironmentConfig config = new EnvironmentConfig()
                    .setLogFileSize(LOG_FILE_KIB)
                    .setLogDurableWrite(syncPolicy == SyncPolicy.ALWAYS)
                    .setEnvCloseForcedly(true);
            Environment environment = Environments.newInstance(directory.path().toFile(), config);
            try {
                return new XodusKvsEngine(directory, environment);
            } catch (RuntimeException e) {
                environment.close();
                throw e;
            }
        } catch (ExodusException e) {
            directory.close();
            throw new StorageException("cannot open Xodus environment in " + directory.path() + ": " + e.getMessage(), e);
        } catch (RuntimeException | Error e) {
            directory.close();
            throw e;
        }
    }

    @Override
    public void set(String key, String value) {
        ByteIterable k = key(key);
        ByteIterable v = new ArrayByteIterable(KvsLimits.encodeValue(value));
        run(() -> environment.executeInTransaction(txn -> store.put(txn, k, v)), "set");
    }

    @Override
    public Optional<String> get(String key) {
        ByteIterable k = key(key);
        return call(() -> environment.computeInReadonlyTransaction(txn -> {
            ByteIterable value = store.get(txn, k);
            if (value == null) {
                return Optional.<String>empty();
            }
            return Optional.of(new String(value.getBytesUnsafe(), 0, value.getLength(), StandardCharsets.UTF_8));
        }), "get");
    }

    @Override
    public void remove(String key) {
        ByteIterable k = key(key);
        boolean removed = call(() -> environment.computeInTransaction(txn -> store.delete(txn, k)), "remove");
        if (!removed) {
            throw new KeyNotFoundException(key);
        }
    }

    /** Commits outstanding data, closes the Xodus environment and releases the directory. */
    @Override
    public void close() {
        lifecycle.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            try {
                environment.close();
            } finally {
                directory.close();
            }
        } finally {
            lifecycle.writeLock().unlock();
        }
    }

    private static ByteIterable key(String key) {
        byte[] encoded = KvsLimits.encodeKey(key);
        byte[] prefixed = new byte[encoded.length + 1];
        prefixed[0] = KEY_PREFIX;
        System.arraycopy(encoded, 0, prefixed, 1, encoded.length);
        return new ArrayByteIterable(prefixed);
    }

    private void run(Runnable operation, String what) {
        call(() -> {
            operation.run();
            return null;
        }, what);
    }

    private <T> T call(java.util.function.Supplier<T> operation, String what) {
        lifecycle.readLock().lock();
        try {
            if (closed) {
                throw new EngineClosedException(directory.path().toString());
            }
            return operation.get();
        } catch (ExodusException e) {
            throw new KvsException("xodus " + what + " failed in " + directory.path() + ": " + e.getMessage(), e);
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    @Override
    public String toString() {
        return "XodusKvsEngine{" + directory.path() + '}';
    }
}
