package io.kvs.core.log;

import io.kvs.core.DataDirectory;
import io.kvs.core.EngineClosedException;
import io.kvs.core.EngineKind;
import io.kvs.core.EngineStats;
import io.kvs.core.Entry;
import io.kvs.core.KeyNotFoundException;
import io.kvs.core.KvStoreOptions;
import io.kvs.core.KvsEngine;
import io.kvs.core.KvsException;
import io.kvs.core.KvsLimits;
import io.kvs.core.ScanPage;
import io.kvs.core.SyncPolicy;
import io.kvs.core.Transaction;
import io.kvs.core.Ttl;
import net.openhft.chronicle.core.io.BackgroundResourceReleaser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;

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
    /** Records up to this long are encoded into their thread's buffer rather than a new array. */
    private static final int SET_SCRATCH_BYTES = 4096;
    /**
     * Each thread's record buffer for short sets ({@link RecordDescriptor#encodeAsciiSetInto},
     * {@link RecordDescriptor#encodeSetInto}): the writer copies the record into the log, and
     * nothing keeps a reference to the buffer once the set returns.
     */
    private static final ThreadLocal<byte[]> SET_SCRATCH = ThreadLocal.withInitial(() -> new byte[SET_SCRATCH_BYTES]);

    private static final Logger LOG = LoggerFactory.getLogger(KvStore.class);

    private final DataDirectory directory;
    private final KvStoreOptions options;
    private final KeyHash keyHash;
    private final SegmentTable segments;
    private final LogReader reader;
    private final KeyDir keyDir;
    private final Clock clock;
    private final ExpiryIndex expiry = new ExpiryIndex();
    private final AtomicLong metadataLocation = new AtomicLong(Location.NONE);
    private final AtomicLong expiredReclaimed = new AtomicLong();
    private final RecordApplier applier;
    private final IndexScan scanner;
    private final LogStats stats = new LogStats();
    private final ReadEpochs epochs = new ReadEpochs();
    private final ReentrantLock writeLock = new ReentrantLock();
    private final LongAdder reads = new LongAdder();
    private final LogSyncer syncer;
    private final SpaceAllocator allocator;
    private final Compactor compactor;
    private final LogWriter writer;
    private final ExpirySweeper sweeper;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** The most keys one {@link #prefetch} looks at. */
    static final int MAX_PREFETCH_KEYS = 64;
    private static final ThreadLocal<long[]> PREFETCH_LOCATIONS = ThreadLocal.withInitial(() -> new long[MAX_PREFETCH_KEYS]);
    /** Where {@link #prefetch} leaves what it loaded, so that the compiler keeps the loads. */
    @SuppressWarnings("unused")
    private long prefetchSink;

    private KvStore(DataDirectory directory, KvStoreOptions options, KeyHash keyHash, LogIo io) {
        this.directory = directory;
        this.options = options;
        this.keyHash = keyHash;
        boolean sync = options.syncPolicy() != SyncPolicy.NEVER;
        this.segments = new SegmentTable(directory, options.segmentBytes(), sync, io);
        this.reader = new LogReader(segments);
        this.keyDir = new KeyDir(reader, writeLock);
        this.clock = options.clock();
        this.applier = new RecordApplier(keyDir, expiry, stats, reader, keyHash, metadataLocation, expiredReclaimed);
        this.scanner = new IndexScan(keyDir, reader, keyHash, clock);
        try {
            new LogRecovery(directory.path(), options.segmentBytes(), sync, segments, applier, clock).recover();
        } catch (RuntimeException | Error e) {
            segments.closeAll();
            throw e;
        }
        String name = directory.path().getFileName() == null ? "root" : directory.path().getFileName().toString();
        this.syncer = new LogSyncer(options.syncPolicy(), segments::active, name);
        this.allocator = new SpaceAllocator(name);
        this.compactor = new Compactor(segments, keyDir, reader, keyHash, epochs, stats, writeLock, directory, sync,
                metadataLocation);
        this.writer = new LogWriter(directory.path(), options, segments, reader, keyDir, keyHash, applier, expiry, stats,
                writeLock, syncer, allocator, compactor, closed);
        this.sweeper = new ExpirySweeper(expiry, clock, writer::reclaimExpired, name);
        writer.maybeCompact();
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
        byte[] scratch = SET_SCRATCH.get();
        int length = RecordDescriptor.encodeAsciiSetInto(key, value, scratch);
        if (length > 0) {
            writer.writeSet(scratch, length, Entry.NO_EXPIRY);
        } else {
            writer.writeSet(RecordDescriptor.encodeSet(key, value), Entry.NO_EXPIRY);
        }
    }

    @Override
    public void set(byte[] key, byte[] value) {
        KvsLimits.checkKey(key);
        KvsLimits.checkValue(value);
        writeSet(key, value, Entry.NO_EXPIRY);
    }

    /** Appends the set record, encoded into this thread's scratch buffer when it fits. */
    private void writeSet(byte[] key, byte[] value, long expiresAtMillis) {
        byte[] scratch = SET_SCRATCH.get();
        int length = RecordDescriptor.encodeSetInto(key, value, expiresAtMillis, scratch);
        if (length > 0) {
            writer.writeSet(scratch, length, expiresAtMillis);
        } else {
            writer.writeSet(RecordDescriptor.encodeSet(key, value, expiresAtMillis), expiresAtMillis);
        }
    }

    @Override
    public void set(byte[] key, byte[] value, long expiresAtMillis) {
        Entry entry = Entry.of(value, expiresAtMillis);
        KvsLimits.checkKey(key);
        if (entry.isExpiredAt(clock.millis())) {
            delete(key);
            return;
        }
        writeSet(key, value, expiresAtMillis);
    }

    @Override
    public Optional<String> get(String key) {
        return Optional.ofNullable(read(KvsLimits.encodeKey(key), LogReader.STRING_VALUE));
    }

    @Override
    public Optional<byte[]> get(byte[] key) {
        return Optional.ofNullable(read(KvsLimits.checkKey(key), LogReader.BYTES_VALUE));
    }

    @Override
    public Optional<Entry> getEntry(byte[] key) {
        return Optional.ofNullable(read(KvsLimits.checkKey(key), LogReader.ENTRY));
    }

    private <T> T read(byte[] key, LogReader.RecordDecoder<T> decoder) {
        long hash = keyHash.hash(key, 0, key.length);
        int token = epochs.enter();
        try {
            ensureOpen();
            reads.increment();
            long location = keyDir.find(key, hash);
            if (location == Location.NONE) {
                return null;
            }
            return reader.valueIfKeyMatches(location, key, clock, decoder);
        } finally {
            epochs.exit(token);
        }
    }

    /**
     * Looks up every key first, then touches each record found: the loads of one phase do not
     * depend on each other, so the processor has their cache and TLB misses outstanding at once,
     * where {@link #get} after {@link #get} waits for each in turn. At most
     * {@link #MAX_PREFETCH_KEYS} keys are used.
     */
    @Override
    public void prefetch(List<byte[]> keys) {
        int count = Math.min(keys.size(), MAX_PREFETCH_KEYS);
        if (count == 0 || closed.get()) {
            return;
        }
        long[] locations = PREFETCH_LOCATIONS.get();
        int token = epochs.enter();
        try {
            for (int i = 0; i < count; i++) {
                byte[] key = keys.get(i);
                locations[i] = key == null || key.length > KvsLimits.MAX_KEY_BYTES
                        ? Location.NONE : keyDir.find(key, keyHash.hash(key, 0, key.length));
            }
            long touched = 0;
            for (int i = 0; i < count; i++) {
                if (locations[i] != Location.NONE) {
                    touched += reader.touch(locations[i]);
                }
            }
            prefetchSink = touched;
        } finally {
            epochs.exit(token);
        }
    }

    @Override
    public boolean containsKey(byte[] key) {
        return ttl(key).keyExists();
    }

    @Override
    public Ttl ttl(byte[] key) {
        KvsLimits.checkKey(key);
        long hash = keyHash.hash(key, 0, key.length);
        int token = epochs.enter();
        try {
            ensureOpen();
            reads.increment();
            return keyDir.ttl(key, hash, clock.millis());
        } finally {
            epochs.exit(token);
        }
    }

    @Override
    public void remove(String key) {
        if (!writer.removeIfPresent(KvsLimits.encodeKey(key))) {
            throw new KeyNotFoundException(key);
        }
    }

    @Override
    public boolean delete(byte[] key) {
        return writer.removeIfPresent(KvsLimits.checkKey(key));
    }

    @Override
    public <T> T atomically(Function<Transaction, T> work) {
        Objects.requireNonNull(work, "work must not be null");
        return writer.atomically(work);
    }

    /** As {@link KvsEngine#update}, written as one record without a transaction's bookkeeping. */
    @Override
    public Optional<Entry> update(byte[] key, UnaryOperator<Entry> function) {
        KvsLimits.checkKey(key);
        Objects.requireNonNull(function, "function must not be null");
        return writer.update(key, function);
    }

    @Override
    public ScanPage scan(long cursor, int count, byte[] prefix) {
        KvsLimits.checkScanCount(count);
        Objects.requireNonNull(prefix, "prefix must not be null");
        int token = epochs.enter();
        try {
            ensureOpen();
            reads.increment();
            return scanner.page(cursor, count, prefix);
        } finally {
            epochs.exit(token);
        }
    }

    @Override
    public Optional<byte[]> metadata() {
        int token = epochs.enter();
        try {
            ensureOpen();
            long location = metadataLocation.get();
            return location == Location.NONE ? Optional.empty() : Optional.of(reader.metadataAt(location));
        } finally {
            epochs.exit(token);
        }
    }

    @Override
    public void checkpoint(Path target) {
        Objects.requireNonNull(target, "target must not be null");
        ensureOpen();
        compactor.whileHeldOff(() -> {
            List<Checkpoint.Captured> captured = new ArrayList<>();
            int token;
            writeLock.lock();
            try {
                ensureOpen();
                token = epochs.enter();
                for (Segment segment : segments.snapshot()) {
                    captured.add(new Checkpoint.Captured(segment, segment.writePosition(), segment.sealed()));
                }
            } finally {
                writeLock.unlock();
            }
            try {
                Checkpoint.write(directory.path(), captured, target);
            } finally {
                epochs.exit(token);
            }
        });
    }

    @Override
    public EngineStats stats() {
        reclaimAllDue();
        long diskBytes = 0;
        List<Segment> all;
        int token = epochs.enter();
        try {
            ensureOpen();
            all = segments.snapshot();
            for (Segment segment : all) {
                diskBytes += segment.capacity();
            }
            // Files kept for reuse are the store's too, until a new segment takes them.
            diskBytes += segments.freeFileBytes();
        } finally {
            epochs.exit(token);
        }
        return new EngineStats(keyDir.size(), expiry.size(), stats.liveBytes(), stats.staleBytes(), diskBytes,
                all.size(), compactor.compactions(), expiredReclaimed.get(), reads.sum(), writer.writes());
    }

    @Override
    public String engineName() {
        return ENGINE_NAME;
    }

    @Override
    public Clock clock() {
        return clock;
    }

    /** Reclaims every key due now, so that counts exclude expired keys. */
    private void reclaimAllDue() {
        while (expiry.earliestDueMillis() <= clock.millis()
                && writer.reclaimExpired(ExpirySweeper.KEYS_PER_TURN) == ExpirySweeper.KEYS_PER_TURN) {
            Thread.onSpinWait();
        }
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

    /** The number of live keys (expired ones not counted). Exact when no write is in progress. */
    @Override
    public long size() {
        ensureOpen();
        reclaimAllDue();
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

    /** The writer lock (tests that stand in for a writer in flight). */
    ReentrantLock writeLock() {
        return writeLock;
    }

    /** Index entries, expired keys not yet reclaimed included (tests of the sweep). */
    long indexedKeys() {
        return keyDir.size();
    }

    /** Retired segments' files kept for reuse now (tests of {@link FreeSegments}). */
    int freeSegmentFiles() {
        return segments.freeFiles();
    }

    /** Compactions completed since this store was opened. */
    long compactions() {
        return compactor.compactions();
    }

    /** Batches of the compactor's index moves that writers applied (tests). */
    long movesAppliedByWriters() {
        return compactor.movesAppliedByWriters();
    }

    /** True while a batch of the compactor's index moves waits for a writer (tests). */
    boolean compactorMovesPending() {
        return compactor.movesPending();
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
        sweeper.close();
        compactor.close();
        syncer.close();
        allocator.close();
        // Readers that began before `closed` was set finish; later ones fail in ensureOpen. Not
        // under the writer lock: a scan may need it to finish its pass over an index shard.
        epochs.awaitReaders();
        writeLock.lock();
        try {
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
