package io.kvs.core.log;

import io.kvs.core.EngineClosedException;
import io.kvs.core.Entry;
import io.kvs.core.KvStoreOptions;
import io.kvs.core.KvsLimits;
import io.kvs.core.LimitExceededException;
import io.kvs.core.Transaction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The write path of a {@link KvStore}: every write appends one record under the writer lock
 * (a set, a tombstone, or a batch holding a transaction's records), has the
 * {@link RecordApplier} update the index, and then, outside the lock, has a roll finished (by the
 * syncer's thread under {@code EVERY_SECOND}), syncs as the policy says and asks for compaction
 * when it is due. The {@link SpaceAllocator} allocates the active segment's next chunk ahead of
 * the writes. Before it lets go of the lock, a writer applies the batch of index moves the
 * compactor may have left for it. Removing expired keys from the index
 * (the sweep) takes the same lock and writes nothing.
 *
 * <p>Writers read records of other segments (the record a set replaces) without a
 * {@link ReadEpochs} read: the writer lock protects them instead. The compactor, once no index
 * entry points into its inputs any more, takes and releases the writer lock before it unmaps
 * them, which waits out every writer that could still hold a location in them.
 */
final class LogWriter {

    private static final Logger LOG = LoggerFactory.getLogger(LogWriter.class);

    private final Path dir;
    private final KvStoreOptions options;
    private final SegmentTable segments;
    private final LogReader reader;
    private final KeyDir keyDir;
    private final KeyHash keyHash;
    private final RecordApplier applier;
    private final ExpiryIndex expiry;
    private final LogStats stats;
    private final ReentrantLock writeLock;
    private final LogSyncer syncer;
    private final SpaceAllocator allocator;
    private final Compactor compactor;
    private final Clock clock;
    private final AtomicBoolean closed;
    /** Write operations since open: changed only under the writer lock, so a release store suffices. */
    private final AtomicLong writes = new AtomicLong();

    LogWriter(Path dir, KvStoreOptions options, SegmentTable segments, LogReader reader, KeyDir keyDir, KeyHash keyHash,
              RecordApplier applier, ExpiryIndex expiry, LogStats stats, ReentrantLock writeLock,
              LogSyncer syncer, SpaceAllocator allocator, Compactor compactor, AtomicBoolean closed) {
        this.dir = dir;
        this.options = options;
        this.segments = segments;
        this.reader = reader;
        this.keyDir = keyDir;
        this.keyHash = keyHash;
        this.applier = applier;
        this.expiry = expiry;
        this.stats = stats;
        this.writeLock = writeLock;
        this.syncer = syncer;
        this.allocator = allocator;
        this.compactor = compactor;
        this.clock = options.clock();
        this.closed = closed;
    }

    /** Write operations since open (sets, removes, transactions that wrote). */
    long writes() {
        return writes.get();
    }

    /** Appends one set record (its key read from the record) and points the key at it: the fast path of every plain set. */
    void writeSet(byte[] record, long expiresAtMillis) {
        writeSet(record, record.length, expiresAtMillis);
    }

    /**
     * {@link #writeSet(byte[], long)} of the record in {@code record[0, length)}; the array may be
     * reused once this returns (nothing keeps a reference to it).
     */
    void writeSet(byte[] record, int length, long expiresAtMillis) {
        int keyLength = RecordDescriptor.keyLength(record, 0);
        long hash = keyHash.hash(record, RecordDescriptor.HEADER_LENGTH, keyLength);
        Segment segment;
        long end;
        SegmentTable.Roll[] roll = new SegmentTable.Roll[1];
        writeLock.lock();
        try {
            ensureOpen();
            long location = append(record, length, false, roll);
            // The segment append wrote to: the active one, rolled to if need be.
            segment = segments.active();
            end = Location.offset(location) + length;
            applier.set(record, RecordDescriptor.HEADER_LENGTH, keyLength, hash, location, length, expiresAtMillis);
            writes.lazySet(writes.get() + 1);
        } finally {
            unlockWriter();
        }
        afterWrite(roll[0], segment, end);
    }

    /**
     * The single-key read-modify-write of {@link KvStore#update}: the same contract as a
     * transaction of one key, without a transaction's pending-writes map (one read, at most one
     * record). The function runs under the writer lock; if it throws, nothing is written.
     */
    Optional<Entry> update(byte[] key, UnaryOperator<Entry> function) {
        long hash = keyHash.hash(key, 0, key.length);
        Segment segment;
        long end;
        Optional<Entry> result;
        SegmentTable.Roll[] roll = new SegmentTable.Roll[1];
        writeLock.lock();
        try {
            ensureOpen();
            long now = clock.millis();
            long found = keyDir.find(key, hash);
            Entry current = found == Location.NONE ? null
                    : reader.valueIfKeyMatchesAt(found, key, now, LogReader.ENTRY);
            Entry next = function.apply(current);
            if (next == current) {
                return Optional.ofNullable(current);
            }
            boolean remove = next == null || next.isExpiredAt(now);
            if (remove && keyDir.findExact(key, hash) == Location.NONE) {
                return Optional.empty();
            }
            byte[] record = remove ? RecordDescriptor.encodeRemove(key)
                    : RecordDescriptor.encodeSet(key, next.value(), next.expiresAtMillis());
            long location = append(record, remove, roll);
            segment = reader.segment(location);
            end = Location.offset(location) + record.length;
            if (remove) {
                applier.remove(key, 0, key.length, hash, segment, record.length);
                result = Optional.empty();
            } else {
                applier.set(key, 0, key.length, hash, location, record.length, next.expiresAtMillis());
                result = Optional.of(next);
            }
            writes.lazySet(writes.get() + 1);
        } finally {
            unlockWriter();
        }
        afterWrite(roll[0], segment, end);
        return result;
    }

    /** Appends a tombstone if the key exists (and has not expired); returns whether it did. */
    boolean removeIfPresent(byte[] key) {
        long hash = keyHash.hash(key, 0, key.length);
        Segment segment;
        long end;
        SegmentTable.Roll[] roll = new SegmentTable.Roll[1];
        writeLock.lock();
        try {
            ensureOpen();
            if (!keyDir.ttl(key, hash, clock.millis()).keyExists()) {
                return false;
            }
            byte[] record = RecordDescriptor.encodeRemove(key);
            long location = append(record, true, roll);
            segment = reader.segment(location);
            end = Location.offset(location) + record.length;
            applier.remove(key, 0, key.length, hash, segment, record.length);
            writes.lazySet(writes.get() + 1);
        } finally {
            unlockWriter();
        }
        afterWrite(roll[0], segment, end);
        return true;
    }


    /**
     * Removes up to {@code budget} keys whose expiry has come from the index (no record is
     * written: their set records say they expired); returns how many. The sweep calls this.
     */
    int reclaimExpired(int budget) {
        writeLock.lock();
        try {
            if (closed.get()) {
                return 0;
            }
            return expiry.reclaimDue(clock.millis(), budget, new ExpiryIndex.Reclaimer() {
                @Override
                public void expiredHash(long hash) {
                    long location = keyDir.index().get(hash);
                    if (location != Location.NONE) {
                        applier.reclaim(reader.keyAt(location), hash);
                    }
                }

                @Override
                public void expiredKey(KeyBytes key) {
                    applier.reclaim(key.bytes(), keyHash.hash(key.bytes(), 0, key.bytes().length));
                }
            });
        } finally {
            unlockWriter();
        }
    }


    /** Outside the writer lock: seals a segment a roll left behind, syncs as the policy says, compacts if due. */
    private void afterWrite(SegmentTable.Roll roll, Segment segment, long end) {
        finishRoll(roll);
        syncer.afterWrite(segment, end);
        maybeCompact();
    }


    /**
     * Appends a record to the active segment, rolling to a new one if it does not fit; a roll is
     * left in {@code pendingRoll} for the caller to finish once it has released the lock. A set
     * leaves the segment's remove reserve free; a remove may use it, so keys can be removed
     * when the disk is full. Writer lock held.
     */
    private long append(byte[] record, boolean mayUseReserve, SegmentTable.Roll[] pendingRoll) {
        return append(record, record.length, mayUseReserve, pendingRoll);
    }

    /** {@link #append(byte[], boolean, SegmentTable.Roll[])} of {@code record[0, length)}. */
    private long append(byte[] record, int length, boolean mayUseReserve, SegmentTable.Roll[] pendingRoll) {
        Segment active = segments.active();
        long reserve = mayUseReserve ? 0 : active.removeReserveBytes();
        if (!active.hasRoomFor(length, reserve)) {
            SegmentTable.Roll roll = segments.roll(length);
            pendingRoll[0] = roll;
            active = roll.next();
            reserve = mayUseReserve ? 0 : active.removeReserveBytes();
        }
        CrashPoints.reach(CrashPoints.APPEND_BEFORE_WRITE);
        long location = Location.of(active.id(), active.append(record, 0, length, reserve));
        CrashPoints.reach(CrashPoints.APPEND_AFTER_WRITE);
        allocator.afterAppend(active);
        return location;
    }

    /** Releases the writer lock, having first applied the index moves the compactor left for this writer. */
    private void unlockWriter() {
        compactor.applyPendingMoves();
        writeLock.unlock();
    }

    /**
     * Has the syncer seal the segment a roll left behind (in the background under
     * {@code EVERY_SECOND}); a failure is logged, the write itself succeeded.
     */
    private void finishRoll(SegmentTable.Roll roll) {
        if (roll == null) {
            return;
        }
        syncer.finishRoll(() -> {
            try {
                segments.finishRoll(roll);
            } catch (RuntimeException e) {
                LOG.error("sealing segment {} failed (it is sealed again on the next open): {}",
                        roll.previous().file(), e.getMessage(), e);
            }
        });
    }



    /** Runs {@code work} as one transaction and writes what it wrote as one record (see {@link KvStore#atomically}). */
    <T> T atomically(Function<Transaction, T> work) {
        Segment segment = null;
        long end = 0;
        SegmentTable.Roll[] roll = new SegmentTable.Roll[1];
        T result;
        writeLock.lock();
        try {
            ensureOpen();
            KvTransaction transaction = new KvTransaction(this::readForTransaction, clock.millis());
            try {
                result = work.apply(transaction);
            } finally {
                transaction.close();
            }
            long location = commit(transaction, roll);
            if (location != Location.NONE) {
                segment = reader.segment(location);
                end = Location.offset(location) + reader.recordLength(location);
                writes.lazySet(writes.get() + 1);
            }
        } finally {
            unlockWriter();
        }
        if (segment != null) {
            afterWrite(roll[0], segment, end);
        }
        return result;
    }

    /** The current entry of {@code key} by {@code now}; under the writer lock, inside a read. */
    private Optional<Entry> readForTransaction(byte[] key, Clock now) {
        long hash = keyHash.hash(key, 0, key.length);
        long location = keyDir.find(key, hash);
        if (location == Location.NONE) {
            return Optional.empty();
        }
        return Optional.ofNullable(reader.valueIfKeyMatches(location, key, now, LogReader.ENTRY));
    }

    /**
     * Writes a transaction's pending writes as one record (a batch when there are several) and
     * applies them; returns the record's location, or {@link Location#NONE} if there was nothing
     * to write. Writer lock held, inside a read.
     */
    private long commit(KvTransaction transaction, SegmentTable.Roll[] roll) {
        List<byte[]> records = new ArrayList<>();
        List<byte[]> keys = new ArrayList<>();
        long total = 0;
        boolean onlyRemoves = true;
        for (Map.Entry<KeyBytes, Entry> write : transaction.writes().entrySet()) {
            byte[] key = write.getKey().bytes();
            Entry entry = write.getValue();
            byte[] record;
            if (entry == null) {
                if (keyDir.findExact(key, keyHash.hash(key, 0, key.length)) == Location.NONE) {
                    continue; // nothing to remove
                }
                record = RecordDescriptor.encodeRemove(key);
            } else {
                record = RecordDescriptor.encodeSet(key, entry.value(), entry.expiresAtMillis());
                onlyRemoves = false;
            }
            records.add(record);
            keys.add(key);
            total += record.length;
        }
        if (transaction.metadata() != null) {
            byte[] record = RecordDescriptor.encodeMetadata(transaction.metadata());
            records.add(record);
            keys.add(null);
            total += record.length;
            onlyRemoves = false;
        }
        if (records.isEmpty()) {
            return Location.NONE;
        }
        if (total > KvsLimits.MAX_BATCH_BYTES) {
            throw new LimitExceededException("transaction", total, KvsLimits.MAX_BATCH_BYTES);
        }
        byte[] bytes = records.size() == 1 ? records.get(0) : RecordDescriptor.encodeBatch(records);
        long location = append(bytes, onlyRemoves, roll);
        Segment segment = reader.segment(location);
        applier.apply(bytes, 0, bytes.length, segment, Location.offset(location), null);
        return location;
    }

    /** Asks for a compaction if the stale bytes call for one. */
    void maybeCompact() {
        if (stats.shouldCompact(options.compactionThresholdBytes(), options.compactionMinStaleRatio())) {
            compactor.request();
        }
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new EngineClosedException(dir.toString());
        }
    }
}
