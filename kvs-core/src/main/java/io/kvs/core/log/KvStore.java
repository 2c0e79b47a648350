package io.kvs.core.log;

import io.kvs.core.DataDirectory;
import io.kvs.core.EngineKind;
import io.kvs.core.EngineClosedException;
import io.kvs.core.KeyNotFoundException;
import io.kvs.core.KvStoreOptions;
import io.kvs.core.KvsEngine;
import io.kvs.core.KvsException;
import io.kvs.core.KvsLimits;
import io.kvs.core.SyncPolicy;
import net.openhft.chronicle.core.io.BackgroundResourceReleaser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The built-in engine: a log-structured store. Every {@code set} appends a checksummed record to
 * the active segment file and every {@code remove} a tombstone; an in-memory index maps each
 * live key to its latest record; compaction rewrites live records in the background once
 * enough of the log is stale. The format is specified in {@code docs/FORMAT.md}.
 *
 * <p>Thread-safe. Reads never block on each other, on writes to other keys or on compaction;
 * writes are serialized by one short critical section (append and index update). Only one
 * instance may hold a directory open at a time, in this process or any other.
 */
public final class KvStore implements KvsEngine {

    /** The engine name recorded in the data directory. */
    public static final String ENGINE_NAME = "kvs";

    private static final Logger LOG = LoggerFactory.getLogger(KvStore.class);

    private final DataDirectory directory;
    private final KvStoreOptions options;
    private final KeyHash keyHash;
    private final SegmentTable segments;
    private final LogReader reader;
    private final KeyDir keyDir;
    private final LogStats stats = new LogStats();
    private final ReadEpochs epochs = new ReadEpochs();
    private final ReentrantLock writeLock = new ReentrantLock();
    private final LogSyncer syncer;
    private final Compactor compactor;
    private final AtomicBoolean closed = new AtomicBoolean();

    private KvStore(DataDirectory directory, KvStoreOptions options, KeyHash keyHash, LogIo io) {
        this.directory = directory;
        this.options = options;
        this.keyHash = keyHash;
        boolean sync = options.syncPolicy() != SyncPolicy.NEVER;
        this.segments = new SegmentTable(directory, options.segmentBytes(), sync, io);
        this.reader = new LogReader(segments);
        this.keyDir = new KeyDir(reader);
        try {
            new LogRecovery(directory.path(), options.segmentBytes(), sync, segments, keyDir, reader, keyHash, stats)
                    .recover();
        } catch (RuntimeException | Error e) {
            segments.closeAll();
            throw e;
        }
        String name = directory.path().getFileName() == null ? "root" : directory.path().getFileName().toString();
        this.syncer = new LogSyncer(options.syncPolicy(), segments::active, name);
        this.compactor = new Compactor(segments, keyDir, keyHash, epochs, stats, writeLock, directory, sync);
        maybeCompact();
    }

    /**
     * Salvages a store that refuses to open because of damage ({@code CorruptLogException}): keeps
     * every record that verifies, drops what does not, and reports exactly what was dropped.
     * The original files are moved to a backup directory inside {@code dir}, never deleted. Never
     * runs implicitly; see {@code docs/RELIABILITY.md}, "Repair". {@code progress} receives one
     * line per step.
     *
     * @throws io.kvs.core.DirectoryLockedException if the store is open
     * @throws io.kvs.core.EngineMismatchException if {@code dir} holds another engine's data
     * @throws KvsException if {@code dir} holds no kvs data
     * @throws io.kvs.core.StorageException if the files cannot be read, written or moved
     */
    public static RepairReport repair(Path dir, Consumer<String> progress) {
        JvmAccess.check();
        Objects.requireNonNull(dir, "dir must not be null");
        Objects.requireNonNull(progress, "progress must not be null");
        if (!EngineKind.withFilesIn(dir).contains(EngineKind.KVS)) {
            throw new KvsException("nothing to repair: " + dir + " holds no kvs segment or manifest");
        }
        return new LogRepair(dir, progress).run();
    }

    /** True if {@code fileName} is a file KvStore writes in its data directory (segments, manifest, temporaries). */
    public static boolean isStoreFile(String fileName) {
        return SegmentFiles.isLogFile(fileName);
    }

    /**
     * Opens (or creates) the store in {@code dir} with the default options.
     *
     * @throws io.kvs.core.JvmFlagsMissingException if the JVM lacks the flags Chronicle Bytes
     *         needs (checked before the directory is touched; the message lists them)
     * @throws io.kvs.core.DirectoryLockedException if another instance or process has it open
     * @throws io.kvs.core.EngineMismatchException if it holds another engine's data
     * @throws io.kvs.core.CorruptLogException if sealed data fails validation, or a segment is
     *         missing or not accounted for by the manifest
     * @throws io.kvs.core.StorageException if the files cannot be read or created
     */
    public static KvStore open(Path dir) {
        return open(dir, KvStoreOptions.defaults());
    }

    /** Opens (or creates) the store in {@code dir} with {@code options}; fails as {@link #open(Path)}. */
    public static KvStore open(Path dir, KvStoreOptions options) {
        return open(dir, options, KeyHash.DEFAULT);
    }

    /** Opens with a substitute key hash: tests use a weak one to force collisions. */
    static KvStore open(Path dir, KvStoreOptions options, KeyHash keyHash) {
        return open(dir, options, keyHash, LogIo.REAL);
    }

    /** Opens with substitute file operations: the power-loss and I/O-error suites. */
    static KvStore open(Path dir, KvStoreOptions options, LogIo io) {
        return open(dir, options, KeyHash.DEFAULT, io);
    }

    private static KvStore open(Path dir, KvStoreOptions options, KeyHash keyHash, LogIo io) {
        JvmAccess.check();
        Objects.requireNonNull(dir, "dir must not be null");
        Objects.requireNonNull(options, "options must not be null");
        DataDirectory directory = DataDirectory.claim(dir, ENGINE_NAME);
        try {
            KvStore store = new KvStore(directory, options, keyHash, io);
            LOG.debug("opened {}: {} keys, {}", directory.path(), store.keyDir.size(), store.stats);
            return store;
        } catch (RuntimeException | Error e) {
            directory.close();
            throw e;
        }
    }

    @Override
    public void set(String key, String value) {
        byte[] keyBytes = KvsLimits.encodeKey(key);
        byte[] valueBytes = KvsLimits.encodeValue(value);
        byte[] record = RecordDescriptor.encodeSet(keyBytes, valueBytes);
        long hash = keyHash.hash(keyBytes, 0, keyBytes.length);
        Segment segment;
        long end;
        SegmentTable.Roll[] roll = new SegmentTable.Roll[1];
        writeLock.lock();
        try {
            ensureOpen();
            int token = epochs.enter();
            try {
                long location = append(record, false, roll);
                segment = reader.segment(location);
                end = Location.offset(location) + record.length;
                long previous = keyDir.put(keyBytes, 0, keyBytes.length, hash, location);
                stats.addLive(record.length);
                if (previous != Location.NONE) {
                    stats.liveBecameStale(reader.segment(previous), reader.recordLength(previous));
                }
            } finally {
                epochs.exit(token);
            }
        } finally {
            writeLock.unlock();
        }
        finishRoll(roll[0]);
        syncer.afterWrite(segment, end);
        maybeCompact();
    }

    @Override
    public Optional<String> get(String key) {
        byte[] keyBytes = KvsLimits.encodeKey(key);
        long hash = keyHash.hash(keyBytes, 0, keyBytes.length);
        int token = epochs.enter();
        try {
            ensureOpen();
            long location = keyDir.find(keyBytes, hash);
            if (location == Location.NONE) {
                return Optional.empty();
            }
            return Optional.ofNullable(reader.valueIfKeyMatches(location, keyBytes));
        } finally {
            epochs.exit(token);
        }
    }

    @Override
    public void remove(String key) {
        byte[] keyBytes = KvsLimits.encodeKey(key);
        long hash = keyHash.hash(keyBytes, 0, keyBytes.length);
        Segment segment;
        long end;
        SegmentTable.Roll[] roll = new SegmentTable.Roll[1];
        writeLock.lock();
        try {
            ensureOpen();
            int token = epochs.enter();
            try {
                if (keyDir.findExact(keyBytes, hash) == Location.NONE) {
                    throw new KeyNotFoundException(key);
                }
                byte[] record = RecordDescriptor.encodeRemove(keyBytes);
                long location = append(record, true, roll);
                segment = reader.segment(location);
                end = Location.offset(location) + record.length;
                long previous = keyDir.remove(keyBytes, 0, keyBytes.length, hash);
                stats.addStale(segment, record.length);
                if (previous != Location.NONE) {
                    stats.liveBecameStale(reader.segment(previous), reader.recordLength(previous));
                }
            } finally {
                epochs.exit(token);
            }
        } finally {
            writeLock.unlock();
        }
        finishRoll(roll[0]);
        syncer.afterWrite(segment, end);
        maybeCompact();
    }

    /**
     * Compacts now and returns when done: live records are rewritten into new segments and the
     * old segments deleted. Compaction also runs by itself in the background; this is for
     * callers that want the space back at a moment of their choosing.
     *
     * @throws EngineClosedException if the store is closed
     */
    public void compact() {
        ensureOpen();
        compactor.compactNow();
    }

    /** The number of live keys. Exact when no write is in progress. */
    public long size() {
        ensureOpen();
        int token = epochs.enter();
        try {
            return keyDir.size();
        } finally {
            epochs.exit(token);
        }
    }

    /** The directory this store lives in. */
    public Path directory() {
        return directory.path();
    }

    /** The options this store was opened with. */
    public KvStoreOptions options() {
        return options;
    }

    /** Bytes of stale records (overwritten, removed, tombstones) awaiting compaction. */
    long staleBytes() {
        return stats.staleBytes();
    }

    /** Compactions completed since this store was opened. */
    long compactions() {
        return compactor.compactions();
    }

    /**
     * Closes the store: stops compaction, forces all data to disk, unmaps files and releases the
     * lock. Idempotent: only the first call closes, concurrent and later calls return at once.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        compactor.close();
        syncer.close();
        writeLock.lock();
        try {
            // Readers that began before `closed` was set finish; later ones fail in ensureOpen.
            epochs.awaitReaders();
            try {
                segments.active().force();
            } finally {
                segments.closeAll();
                BackgroundResourceReleaser.releasePendingResources();
                directory.close();
            }
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Appends a record to the active segment, rolling to a new one if it does not fit; a roll is
     * left in {@code pendingRoll} for the caller to finish once it has released the lock. A set
     * leaves the segment's remove reserve free; a remove may use it, so keys can be removed
     * when the disk is full. Writer lock held.
     */
    private long append(byte[] record, boolean mayUseReserve, SegmentTable.Roll[] pendingRoll) {
        Segment active = segments.active();
        long reserve = mayUseReserve ? 0 : active.removeReserveBytes();
        if (!active.hasRoomFor(record.length, reserve)) {
            SegmentTable.Roll roll = segments.roll(record.length);
            pendingRoll[0] = roll;
            active = roll.next();
            reserve = mayUseReserve ? 0 : active.removeReserveBytes();
        }
        CrashPoints.reach(CrashPoints.APPEND_BEFORE_WRITE);
        long location = Location.of(active.id(), active.append(record, 0, record.length, reserve));
        CrashPoints.reach(CrashPoints.APPEND_AFTER_WRITE);
        return location;
    }

    /** Seals the segment a roll left behind; a failure is logged, the write itself succeeded. */
    private void finishRoll(SegmentTable.Roll roll) {
        if (roll == null) {
            return;
        }
        try {
            segments.finishRoll(roll);
        } catch (RuntimeException e) {
            LOG.error("sealing segment {} failed (it is sealed again on the next open): {}",
                    roll.previous().file(), e.getMessage(), e);
        }
    }

    private void maybeCompact() {
        if (stats.shouldCompact(options.compactionThresholdBytes(), options.compactionMinStaleRatio())) {
            compactor.request();
        }
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new EngineClosedException(directory.path().toString());
        }
    }

    @Override
    public String toString() {
        return "KvStore{" + directory.path() + '}';
    }
}
