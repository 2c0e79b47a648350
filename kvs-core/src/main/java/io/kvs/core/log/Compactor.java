package io.kvs.core.log;

import io.kvs.core.DataDirectory;
import org.agrona.collections.LongHashSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongPredicate;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Rewrites the live records of the log into new segments and deletes the old ones, in the
 * background, while readers and writers carry on.
 *
 * <p>One compaction: (1) under the writer lock, seal the active segment, take every segment as
 * input, reserve ids for the output just above the inputs and open a new active segment above
 * those, then record the reserved range in the manifest; (2) collect the locations the index
 * holds in the inputs, and copy each of those records into the output, in log order, moving its
 * index entry there unless a writer replaced it meanwhile (then the copy is stale), a batch of
 * entries under one turn of the writer lock, taken by the next writer when writers are busy
 * ({@link #applyPendingMoves}); (3) seal
 * and sync the output, and list the inputs as obsolete in the manifest; (4) wait until no reader
 * can hold a location in the inputs ({@link ReadEpochs}) and no writer either (a turn of the
 * writer lock); (5) unmap and delete the inputs, oldest first (or keep their files for reuse:
 * {@link FreeSegments}).
 *
 * <p>Crash safety follows from replay order: output ids sort after every input and before every
 * segment written since, and inputs are deleted oldest first only after the output is sealed
 * and synced. A crash before that leaves duplicates that replay to the same state; an unsealed
 * output is discarded on open. Tombstones are dropped with their inputs, which hold every older
 * record of their keys; so are set records whose keys expired and were reclaimed. A batch's live
 * records are copied one by one, and the latest metadata record is kept.
 */
final class Compactor implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Compactor.class);
    /** Live locations sorted and copied together, at most (8 MiB of them). */
    static final int COPY_GROUP = 1 << 20;
    /** Index entries moved to their copies under one turn of the writer lock. */
    static final int MOVE_BATCH = 256;
    /**
     * How long the compactor waits for a writer to apply a batch of moves before it tries the
     * writer lock itself (and again after each failed try): a busy writer takes the lock every
     * few microseconds, an idle store costs the compactor this much per batch.
     */
    static final long HANDOFF_WAIT_NANOS = TimeUnit.MICROSECONDS.toNanos(100);
    /**
     * After a failed background compaction (a full disk, say), requests are ignored this long
     * rather than fail the same way on every write; the log is intact meanwhile.
     */
    static final long RETRY_AFTER_FAILURE_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final SegmentTable segments;
    private final KeyDir keyDir;
    private final LogReader reader;
    private final KeyHash keyHash;
    private final ReadEpochs epochs;
    private final LogStats stats;
    private final ReentrantLock writeLock;
    private final DataDirectory directory;
    private final boolean sync;
    private final AtomicLong metadataLocation;

    /** One compaction at a time, background or explicit. */
    private final ReentrantLock compactionLock = new ReentrantLock();
    private final Object signal = new Object();
    private final Thread thread;
    /** Guarded by signal. */
    private boolean requested;
    private volatile boolean stopping;
    /** When the last background compaction failed (System.nanoTime), or 0 if it did not. */
    private volatile long failedAtNanos;
    private volatile long compactions;
    /** The batch of moves waiting for a writer, or null (see {@link Moves}). */
    private volatile Moves pending;
    /** Changed under the writer lock only. */
    private volatile long movesAppliedByWriters;

    Compactor(SegmentTable segments, KeyDir keyDir, LogReader reader, KeyHash keyHash, ReadEpochs epochs, LogStats stats,
              ReentrantLock writeLock, DataDirectory directory, boolean sync, AtomicLong metadataLocation) {
        this.segments = segments;
        this.keyDir = keyDir;
        this.reader = reader;
        this.keyHash = keyHash;
        this.epochs = epochs;
        this.stats = stats;
        this.writeLock = writeLock;
        this.directory = directory;
        this.sync = sync;
        this.metadataLocation = metadataLocation;
        this.thread = new Thread(this::runLoop, "kvs-compactor-" + directory.path().getFileName());
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Asks the background thread to compact soon. Cheap; never blocks. */
    void request() {
        if (stopping) {
            return;
        }
        long failedAt = failedAtNanos;
        if (failedAt != 0 && System.nanoTime() - failedAt < RETRY_AFTER_FAILURE_NANOS) {
            return;
        }
        synchronized (signal) {
            if (!requested) {
                requested = true;
                signal.notifyAll();
            }
        }
    }

    /** Compacts now in the calling thread, after any compaction in progress. */
    void compactNow() {
        compactionLock.lock();
        try {
            compactOnce();
        } finally {
            compactionLock.unlock();
        }
    }

    /** Runs {@code work} while no compaction runs (a checkpoint's file set must not lose an input). */
    void whileHeldOff(Runnable work) {
        compactionLock.lock();
        try {
            work.run();
        } finally {
            compactionLock.unlock();
        }
    }

    /** Compactions completed since open. */
    long compactions() {
        return compactions;
    }

    private void runLoop() {
        while (!stopping) {
            synchronized (signal) {
                while (!requested && !stopping) {
                    try {
                        signal.wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                requested = false;
            }
            if (stopping) {
                return;
            }
            compactionLock.lock();
            try {
                compactOnce();
                failedAtNanos = 0;
            } catch (RuntimeException | Error e) {
                // The log is intact (inputs are kept unless the output is complete); pause
                // background compaction rather than fail the same way on every write.
                failedAtNanos = Math.max(1, System.nanoTime());
                LOG.error("compaction failed; the next is tried in {} s at the earliest: {}",
                        TimeUnit.NANOSECONDS.toSeconds(RETRY_AFTER_FAILURE_NANOS), e.getMessage(), e);
            } finally {
                compactionLock.unlock();
            }
        }
    }

    private void compactOnce() {
        SegmentTable.PreparedCompaction prepared = segments.prepareCompaction();
        CrashPoints.reach(CrashPoints.COMPACTION_AFTER_PREPARE);
        SegmentTable.CompactionPlan plan;
        writeLock.lock();
        try {
            plan = segments.startCompaction(prepared);
        } finally {
            writeLock.unlock();
        }
        boolean retired = false;
        try {
            // Seals the last input and records the output range in the manifest; writers
            // already append to the new active segment.
            segments.finishRoll(plan.roll());
            CrashPoints.reach(CrashPoints.COMPACTION_AFTER_ROLL);
            Output output = new Output(plan);
            try {
                copyLive(plan.inputs(), output);
                if (stopping) {
                    return;
                }
            } finally {
                // Sealed output is a valid set of duplicates even if the copy stopped half way.
                output.sealCurrent();
                segments.syncDirectory();
            }
            CrashPoints.reach(CrashPoints.COMPACTION_AFTER_OUTPUT_SEALED);
            if (sync) {
                // An input record left out because a newer record replaced it is gone with the
                // inputs: that newer record, written since the compaction began, must be durable
                // first (forcing the active segment forces every segment it followed).
                segments.active().force();
            }
            segments.retire(plan.inputs());
            retired = true;
            segments.recordFileSet();
            epochs.awaitReaders();
            // Writers read without an epoch, under the writer lock: this waits out any writer
            // that took a location in the inputs before the last index entry moved.
            writeLock.lock();
            writeLock.unlock();
            for (Segment input : plan.inputs()) {
                segments.remove(input);
                segments.dispose(input);
                // Only now: a manifest written meanwhile must still account for the file.
                segments.deleted(input);
                stats.segmentDeleted(input);
                CrashPoints.reach(CrashPoints.COMPACTION_MID_DELETE);
            }
            segments.syncDirectory();
            segments.recordFileSet();
            CrashPoints.reach(CrashPoints.COMPACTION_AFTER_DELETE);
            LOG.debug("compaction {} done: {} segments in, ids {}..{} out; {}", compactions + 1,
                    plan.inputs().size(), plan.firstOutputId(), output.lastId(), stats);
        } finally {
            if (!retired) {
                // Stopped or failed: the outputs written so far stay, as registered segments.
                segments.endCompaction();
            }
        }
        compactions++;
    }

    /**
     * Copies every record the index points to in the inputs: the locations are collected shard
     * by shard, then copied in log order, at most {@link #COPY_GROUP} at a time. Reading only
     * the live records, rather than scanning the inputs, makes the work proportional to the live
     * keys, not to the bytes written since the last compaction.
     */
    private void copyLive(List<Segment> inputs, Output output) {
        LongHashSet inputIds = new LongHashSet();
        for (Segment input : inputs) {
            inputIds.add(input.id());
        }
        LongPredicate inInputs = location -> inputIds.contains(Location.segmentId(location));
        Locations group = new Locations();
        for (int shard = 0; shard < KeyIndex.SHARDS; shard++) {
            if (stopping) {
                return;
            }
            keyDir.index().locations(shard, inInputs, group);
            if (group.size >= COPY_GROUP) {
                copyRecords(group, output);
            }
        }
        keyDir.overflowLocations(inInputs, group);
        copyRecords(group, output);
        long metadata = metadataLocation.get();
        if (metadata != Location.NONE && inInputs.test(metadata)) {
            copyMetadata(metadata, output);
        }
    }

    /**
     * Copies the records at {@code group}'s locations in ascending order, then empties it. Their
     * index entries move in batches of {@link #MOVE_BATCH} (see {@link Moves}).
     */
    private void copyRecords(Locations group, Output output) {
        Arrays.sort(group.values, 0, group.size);
        Moves moves = new Moves();
        try {
            for (int i = 0; i < group.size && !stopping; i++) {
                copyRecord(group.values[i], output, moves);
                if (moves.size == MOVE_BATCH) {
                    moves.handOver();
                    moves = new Moves();
                }
            }
        } finally {
            // Also when stopping: a copy made is either moved to or counted stale.
            moves.handOver();
        }
        group.size = 0;
    }

    /** Copies the set record at {@code from} to the output and adds the move of its key to {@code moves}. */
    private void copyRecord(long from, Output output, Moves moves) {
        int token = epochs.enter();
        try {
            byte[] record = reader.recordAt(from);
            int length = RecordDescriptor.plausibleLength(record, 0);
            int keyLength = RecordDescriptor.keyLength(record, 0);
            long hash = keyHash.hash(record, RecordDescriptor.HEADER_LENGTH, keyLength);
            Segment target = output.segmentFor(length);
            long to = Location.of(target.id(), target.append(record, 0, length, 0));
            moves.add(hash, from, to, length, target);
            CrashPoints.reach(CrashPoints.COMPACTION_MID_COPY);
        } finally {
            epochs.exit(token);
        }
    }

    /**
     * Applies the compactor's pending index moves, if any. Called by a writer holding the writer
     * lock, before it lets go; costs one volatile read when nothing is pending.
     */
    void applyPendingMoves() {
        Moves moves = pending;
        if (moves != null && !moves.applied) {
            moves.applyHoldingLock();
            movesAppliedByWriters++;
            LockSupport.unpark(moves.waiter);
        }
    }

    /** Batches of index moves that writers applied for the compactor, since open (a test's view). */
    long movesAppliedByWriters() {
        return movesAppliedByWriters;
    }

    /** True while a batch of moves waits for a writer (a test's view). */
    boolean movesPending() {
        return pending != null;
    }

    /**
     * Index entries to move from input records to their copies, applied under the writer lock.
     * The compactor does not take that lock for them while writers are busy: it hands the batch
     * over ({@link #pending}) and the next writer applies it before it releases the lock
     * ({@link #applyPendingMoves}). Holding the lock itself, the compactor could lose its core
     * in the middle of a batch, and every writer would wait for the scheduler to give it back
     * (milliseconds on a busy machine). Only if no writer comes within
     * {@link #HANDOFF_WAIT_NANOS} does the compactor take the lock for the batch itself.
     */
    private final class Moves {
        final long[] hashes = new long[MOVE_BATCH];
        final long[] froms = new long[MOVE_BATCH];
        final long[] tos = new long[MOVE_BATCH];
        final int[] lengths = new int[MOVE_BATCH];
        final Segment[] targets = new Segment[MOVE_BATCH];
        int size;
        /** Set under the writer lock once the batch is applied, by whichever thread applied it. */
        volatile boolean applied;
        /** The compactor's thread, to wake once a writer applied the batch; published by {@link #pending}. */
        Thread waiter;

        void add(long hash, long from, long to, int length, Segment target) {
            hashes[size] = hash;
            froms[size] = from;
            tos[size] = to;
            lengths[size] = length;
            targets[size] = target;
            size++;
        }

        /** Has the batch applied, by a writer or, failing one, by the compactor; returns once it is. */
        void handOver() {
            if (size == 0) {
                return;
            }
            waiter = Thread.currentThread();
            pending = this;
            long deadline = System.nanoTime() + HANDOFF_WAIT_NANOS;
            while (!applied) {
                long left = deadline - System.nanoTime();
                if (left > 0) {
                    LockSupport.parkNanos(this, left);
                    continue;
                }
                // No writer came: apply it here, unless one does while this waits for the lock.
                try {
                    if (writeLock.tryLock(HANDOFF_WAIT_NANOS, TimeUnit.NANOSECONDS)) {
                        try {
                            applyHoldingLock();
                        } finally {
                            writeLock.unlock();
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    writeLock.lock();
                    try {
                        applyHoldingLock();
                    } finally {
                        writeLock.unlock();
                    }
                }
            }
        }

        /** Moves each key still at its input record to the copy; a copy whose key a writer replaced meanwhile is stale. */
        void applyHoldingLock() {
            if (applied) {
                return;
            }
            for (int i = 0; i < size; i++) {
                if (!keyDir.move(hashes[i], froms[i], tos[i])) {
                    stats.addStale(targets[i], lengths[i]);
                }
            }
            pending = null;
            applied = true;
        }
    }

    /** Copies the latest metadata record, unless a batch replaced it meanwhile. */
    private void copyMetadata(long from, Output output) {
        int token = epochs.enter();
        try {
            byte[] record = reader.recordAt(from);
            int length = RecordDescriptor.plausibleLength(record, 0);
            Segment target = output.segmentFor(length);
            long to = Location.of(target.id(), target.append(record, 0, length, 0));
            if (!metadataLocation.compareAndSet(from, to)) {
                stats.addStale(target, length);
            }
        } finally {
            epochs.exit(token);
        }
    }

    /** A growable array of locations. */
    private static final class Locations implements KeyIndex.LocationSink {
        long[] values = new long[1024];
        int size;

        @Override
        public int received() {
            return size;
        }

        @Override
        public void truncate(int count) {
            size = count;
        }

        @Override
        public void accept(long location) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = location;
        }
    }

    /** The output segments of one compaction, created on demand within the reserved ids. */
    private final class Output {
        private final SegmentTable.CompactionPlan plan;
        private Segment current;
        private long nextId;

        Output(SegmentTable.CompactionPlan plan) {
            this.plan = plan;
            this.nextId = plan.firstOutputId();
        }

        Segment segmentFor(int length) {
            if (current != null && current.hasRoomFor(length, 0)) {
                return current;
            }
            sealCurrent();
            if (nextId > plan.lastOutputId()) {
                throw new IllegalStateException("compaction output needs more segments than reserved ("
                        + plan.firstOutputId() + ".." + plan.lastOutputId() + ")");
            }
            current = segments.createOutput(nextId++, length);
            return current;
        }

        void sealCurrent() {
            if (current != null) {
                current.seal(sync);
            }
        }

        long lastId() {
            return nextId - 1;
        }
    }

    /** Stops the background thread; a compaction in progress stops at the next record. */
    @Override
    public void close() {
        stopping = true;
        synchronized (signal) {
            signal.notifyAll();
        }
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // Wait for an explicit compactNow() in another thread as well.
        compactionLock.lock();
        compactionLock.unlock();
    }
}
