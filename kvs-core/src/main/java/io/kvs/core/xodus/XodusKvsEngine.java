package io.kvs.core.xodus;

import io.kvs.core.DataDirectory;
import io.kvs.core.EngineClosedException;
import io.kvs.core.KeyNotFoundException;
import io.kvs.core.KvsEngine;
import io.kvs.core.KvsException;
import io.kvs.core.KvsLimits;
import io.kvs.core.StorageException;
import io.kvs.core.SyncPolicy;

import io.kvs.core.EngineStats;
import io.kvs.core.Entry;
import io.kvs.core.ScanPage;
import io.kvs.core.Transaction;
import io.kvs.core.Ttl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
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

    private static final Logger LOG = LoggerFactory.getLogger(XodusKvsEngine.class);
    /** How often the expiry sweep looks for due keys. */
    static final long SWEEP_INTERVAL_MILLIS = 100;
    private static final int SWEEP_BATCH = 1000;

    private final DataDirectory directory;
    private final XodusEnvironment environment;
    private final Clock clock;
    private final LongAdder reads = new LongAdder();
    private final LongAdder writes = new LongAdder();
    private final AtomicLong expiredReclaimed = new AtomicLong();
    private final Thread sweeper;
    /** Held while expired keys are reclaimed, so that a stats snapshot sees the deletions and their count together. */
    private final Object sweepLock = new Object();
    /** Held shared by operations and exclusively by close, so close never races a transaction. */
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private volatile boolean closed;

    private XodusKvsEngine(DataDirectory directory, XodusEnvironment environment, Clock clock) {
        this.directory = directory;
        this.environment = environment;
        this.clock = clock;
        this.sweeper = new Thread(this::sweep, "kvs-xodus-expiry-" + directory.path().getFileName());
        this.sweeper.setDaemon(true);
        this.sweeper.start();
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
        return open(dir, syncPolicy, Clock.systemUTC());
    }

    /** Opens as {@link #open(Path, SyncPolicy)}, with expiry measured by {@code clock}. */
    public static XodusKvsEngine open(Path dir, SyncPolicy syncPolicy, Clock clock) {
        Objects.requireNonNull(dir, "dir must not be null");
        Objects.requireNonNull(clock, "clock must not be null");
        Objects.requireNonNull(syncPolicy, "syncPolicy must not be null");
        try {
            XodusEnvironment.requiredClasses();
        } catch (NoClassDefFoundError e) {
            throw xodusMissing(e);
        }
        DataDirectory directory = DataDirectory.claim(dir, ENGINE_NAME);
        try {
            return new XodusKvsEngine(directory, XodusEnvironment.open(directory.path(), syncPolicy == SyncPolicy.ALWAYS), clock);
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
        writes.increment();
    }

    @Override
    public Optional<String> get(String key) {
        byte[] k = KvsLimits.encodeKey(key);
        reads.increment();
        return Optional.ofNullable(call(() -> environment.getString(k, clock.millis())));
    }

    @Override
    public void remove(String key) {
        if (!delete(KvsLimits.encodeKey(key))) {
            throw new KeyNotFoundException(key);
        }
    }

    @Override
    public void set(byte[] key, byte[] value) {
        KvsLimits.checkKey(key);
        KvsLimits.checkValue(value);
        call(() -> {
            environment.put(key, value);
            return null;
        });
        writes.increment();
    }

    @Override
    public void set(byte[] key, byte[] value, long expiresAtMillis) {
        Entry entry = Entry.of(value, expiresAtMillis);
        if (!entry.hasExpiry()) {
            set(key, value);
            return;
        }
        atomically(transaction -> {
            transaction.put(key, entry);
            return null;
        });
    }

    @Override
    public Optional<byte[]> get(byte[] key) {
        return getEntry(key).map(Entry::value);
    }

    @Override
    public Optional<Entry> getEntry(byte[] key) {
        KvsLimits.checkKey(key);
        reads.increment();
        return Optional.ofNullable(call(() -> environment.get(key, clock.millis())));
    }

    @Override
    public boolean containsKey(byte[] key) {
        return getEntry(key).isPresent();
    }

    @Override
    public boolean delete(byte[] key) {
        KvsLimits.checkKey(key);
        return atomically(transaction -> transaction.delete(key));
    }

    @Override
    public Ttl ttl(byte[] key) {
        long now = clock.millis();
        Optional<Entry> entry = getEntry(key);
        if (entry.isEmpty()) {
            return Ttl.noKey();
        }
        if (!entry.get().hasExpiry()) {
            return Ttl.noExpiry();
        }
        long expiresAt = entry.get().expiresAtMillis();
        return expiresAt <= now ? Ttl.noKey() : Ttl.expiresAt(expiresAt, expiresAt - now);
    }

    @Override
    public <T> T atomically(Function<Transaction, T> work) {
        Objects.requireNonNull(work, "work must not be null");
        T result = call(() -> environment.atomically(txn -> {
            XodusTransaction transaction = new XodusTransaction(environment, txn, clock.millis());
            try {
                return work.apply(transaction);
            } finally {
                transaction.close();
            }
        }));
        writes.increment();
        return result;
    }

    @Override
    public ScanPage scan(long cursor, int count, byte[] prefix) {
        KvsLimits.checkScanCount(count);
        Objects.requireNonNull(prefix, "prefix must not be null");
        reads.increment();
        return call(() -> environment.scan(cursor, count, prefix, clock.millis()));
    }

    @Override
    public long size() {
        return call(() -> {
            reclaimAllDue();
            return environment.counts()[0];
        });
    }

    @Override
    public Optional<byte[]> metadata() {
        return Optional.ofNullable(call(environment::metadata));
    }

    @Override
    public void checkpoint(Path target) {
        Objects.requireNonNull(target, "target must not be null");
        call(() -> {
            XodusCheckpoint.write(environment, directory.path(), target);
            return null;
        });
    }

    @Override
    public EngineStats stats() {
        return call(() -> {
            long[] counts;
            long reclaimed;
            synchronized (sweepLock) {
                reclaimAllDue();
                counts = environment.counts();
                reclaimed = expiredReclaimed.get();
            }
            long diskBytes = 0;
            long files = 0;
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory.path(), "*.xd")) {
                for (Path file : entries) {
                    diskBytes += Files.size(file);
                    files++;
                }
            } catch (IOException e) {
                throw new StorageException("cannot list " + directory.path() + ": " + e.getMessage(), e);
            }
            return new EngineStats(counts[0], counts[1], diskBytes, 0, diskBytes, files, 0,
                    reclaimed, reads.sum(), writes.sum());
        });
    }

    @Override
    public String engineName() {
        return ENGINE_NAME;
    }

    @Override
    public Clock clock() {
        return clock;
    }

    /** Deletes keys whose expiry has come, up to {@code budget}; returns how many (the sweep calls this). */
    private int reclaimExpired(int budget) {
        int reclaimed = environment.reclaimExpired(clock.millis(), budget);
        expiredReclaimed.addAndGet(reclaimed);
        return reclaimed;
    }

    /** Reclaims every key due now; the count of reclaimed keys is current when this returns. */
    private void reclaimAllDue() {
        synchronized (sweepLock) {
            while (environment.earliestExpiry() <= clock.millis() && reclaimExpired(SWEEP_BATCH) > 0) {
                Thread.onSpinWait();
            }
        }
    }

    private void sweep() {
        while (!closed) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(SWEEP_INTERVAL_MILLIS));
            lifecycle.readLock().lock();
            try {
                if (!closed) {
                    reclaimAllDue();
                }
            } catch (RuntimeException e) {
                LOG.error("expiry sweep failed (expired keys stay invisible): {}", e.getMessage(), e);
            } finally {
                lifecycle.readLock().unlock();
            }
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
            LockSupport.unpark(sweeper);
        } finally {
            lifecycle.writeLock().unlock();
        }
        try {
            sweeper.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        lifecycle.writeLock().lock();
        try {
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
