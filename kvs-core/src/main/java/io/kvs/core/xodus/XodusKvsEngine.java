package io.kvs.core.xodus;

import io.kvs.core.DataDirectory;
import io.kvs.core.EngineClosedException;
import io.kvs.core.KeyNotFoundException;
import io.kvs.core.KvsEngine;
import io.kvs.core.KvsException;
import io.kvs.core.KvsLimits;
import io.kvs.core.StorageException;
import io.kvs.core.SyncPolicy;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * {@link KvsEngine} on a JetBrains Xodus {@code Environment} with one store: {@code set} and
 * {@code remove} run in a write transaction each, {@code get} in a read-only one.
 *
 * <p>Xodus is an optional dependency of kvs-core: a user of this engine adds
 * {@code org.jetbrains.xodus:xodus-environment} and {@code org.jetbrains.xodus:xodus-openAPI}.
 * This class loads without them (every Xodus call is in {@link XodusEnvironment}), so
 * {@link #open(Path, SyncPolicy)} can say what is missing.
 *
 * <p>Thread-safe: Xodus serializes write transactions and runs read-only transactions
 * concurrently.
 */
public final class XodusKvsEngine implements KvsEngine {

    /** The engine name recorded in the data directory. */
    public static final String ENGINE_NAME = "xodus";

    private final DataDirectory directory;
    private final XodusEnvironment environment;
    /** Held shared by operations and exclusively by close, so close never races a transaction. */
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private volatile boolean closed;

    private XodusKvsEngine(DataDirectory directory, XodusEnvironment environment) {
        this.directory = directory;
        this.environment = environment;
    }

    /** True if {@code fileName} is a file Xodus writes in its data directory: its log files and its lock. */
    public static boolean isStoreFile(String fileName) {
        return fileName.endsWith(".xd") || fileName.equals("xd.lck");
    }

    /** Opens (or creates) the engine in {@code dir} with {@link SyncPolicy#EVERY_SECOND}-like durability. */
    public static XodusKvsEngine open(Path dir) {
        return open(dir, SyncPolicy.EVERY_SECOND);
    }

    /**
     * Opens (or creates) the engine in {@code dir}. {@link SyncPolicy#ALWAYS} makes Xodus force
     * every commit; the other policies let Xodus sync in the background.
     *
     * @throws KvsException if Xodus is not on the class path (checked before the directory is touched)
     * @throws io.kvs.core.DirectoryLockedException if another instance or process has it open
     * @throws io.kvs.core.EngineMismatchException if it holds another engine's data
     * @throws StorageException if Xodus cannot open its files
     */
    public static XodusKvsEngine open(Path dir, SyncPolicy syncPolicy) {
        Objects.requireNonNull(dir, "dir must not be null");
        Objects.requireNonNull(syncPolicy, "syncPolicy must not be null");
        try {
            XodusEnvironment.requiredClasses();
        } catch (NoClassDefFoundError e) {
            throw xodusMissing(e);
        }
        DataDirectory directory = DataDirectory.claim(dir, ENGINE_NAME);
        try {
            return new XodusKvsEngine(directory, XodusEnvironment.open(directory.path(), syncPolicy == SyncPolicy.ALWAYS));
        } catch (NoClassDefFoundError e) {
            directory.close();
            throw xodusMissing(e);
        } catch (RuntimeException | Error e) {
            directory.close();
            throw e;
        }
    }

    @Override
    public void set(String key, String value) {
        byte[] k = KvsLimits.encodeKey(key);
        byte[] v = KvsLimits.encodeValue(value);
        call(() -> {
            environment.put(k, v);
            return null;
        });
    }

    @Override
    public Optional<String> get(String key) {
        byte[] k = KvsLimits.encodeKey(key);
        return Optional.ofNullable(call(() -> environment.get(k)));
    }

    @Override
    public void remove(String key) {
        byte[] k = KvsLimits.encodeKey(key);
        if (!call(() -> environment.delete(k))) {
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

    private <T> T call(Supplier<T> operation) {
        lifecycle.readLock().lock();
        try {
            if (closed) {
                throw new EngineClosedException(directory.path().toString());
            }
            return operation.get();
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    private static KvsException xodusMissing(NoClassDefFoundError e) {
        return new KvsException("XodusKvsEngine needs JetBrains Xodus, an optional dependency of kvs-core: add "
                + "org.jetbrains.xodus:xodus-environment and org.jetbrains.xodus:xodus-openAPI (the version "
                + "kvs-core's pom names) to the class path; missing class: " + e.getMessage(), e);
    }

    @Override
    public String toString() {
        return "XodusKvsEngine{" + directory.path() + '}';
    }
}
