package io.kvs.core.log;

import io.kvs.core.DataDirectory;
import io.kvs.core.StorageException;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.collections.LongHashSet;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The open segments by id, the active segment writers append to, and the allocation of segment
 * ids.
 *
 * <p>Lookups ({@link #get}) are lock-free reads of a copy-on-write map, so a reader never waits
 * for a roll or a compaction. Changes are synchronized. {@link #roll} and {@link #startCompaction}
 * are called with the engine's writer lock held.
 *
 * <p>Ids encode replay order: files are replayed in ascending id. Compaction output gets ids
 * between the last segment it compacts and the next active segment, which is why
 * {@link #startCompaction} reserves a range of ids.
 *
 * <p>The table also keeps the store's {@link Manifest} up to date: {@link #recordFileSet} writes
 * the file set as it is now (registered segments, the output range of a compaction in
 * progress, segments retired but not yet deleted) whenever it has changed. A segment is always
 * created before it is listed, and listed as obsolete before its file is deleted.
 */
final class SegmentTable {

    private static final Logger LOG = LoggerFactory.getLogger(SegmentTable.class);

    private final DataDirectory directory;
    private final long segmentBytes;
    private final boolean sync;
    private final LogIo io;
    private final FreeSegments free;

    private volatile Int2ObjectHashMap<Segment> byId = new Int2ObjectHashMap<>();
    private volatile Segment active;
    /** The next unused id; guarded by this. */
    private long nextId = 1;
    /** The ids reserved for the output of the compaction in progress, or 0; guarded by this. */
    private long outputFirst;
    private long outputLast;
    /** Segments retired by compaction whose files are not deleted yet; guarded by this. */
    private final LongHashSet obsolete = new LongHashSet();

    private final Object manifestLock = new Object();
    /** The manifest on disk; guarded by manifestLock. */
    private Manifest written;

    SegmentTable(DataDirectory directory, long segmentBytes, boolean sync, LogIo io) {
        this.directory = directory;
        this.segmentBytes = segmentBytes;
        this.sync = sync;
        this.io = io;
        this.free = new FreeSegments(directory.path(), segmentBytes, io);
    }

    /** The seam the log's file operations go through. */
    LogIo io() {
        return io;
    }

    /** Forces the directory's entries to the device (under a syncing policy). */
    void syncDirectory() {
        if (sync) {
            io.syncDirectory(directory);
        }
    }

    /** The file of segment {@code id} (whether it exists or not). */
    Path pathOf(long id) {
        return SegmentFiles.path(directory.path(), id);
    }

    /** The segment with {@code id}, or null if it is not open. */
    Segment get(long id) {
        return byId.get((int) id);
    }

    /** The segment writers append to. */
    Segment active() {
        return active;
    }

    /** All open segments in id order. */
    List<Segment> snapshot() {
        List<Segment> segments = new ArrayList<>(byId.values());
        segments.sort(Comparator.comparingLong(Segment::id));
        return segments;
    }

    /** Adds an opened segment (recovery) and moves id allocation past it. */
    synchronized void add(Segment segment) {
        register(segment);
        nextId = Math.max(nextId, segment.id() + 1);
    }

    /** Removes a segment from lookups; the caller closes it once no reader can hold it. */
    synchronized void remove(Segment segment) {
        Int2ObjectHashMap<Segment> copy = new Int2ObjectHashMap<>(byId);
        copy.remove((int) segment.id());
        byId = copy;
    }

    /**
     * Closes a retired segment, which no reader can hold any more, and keeps its file to be
     * reused by a new segment, or deletes it ({@link FreeSegments}); then {@link #deleted}.
     */
    void dispose(Segment segment) {
        free.keepOrDelete(segment);
    }

    /** Retired files kept for reuse now. */
    int freeFiles() {
        return free.size();
    }

    /** Bytes of the retired files kept for reuse. */
    long freeFileBytes() {
        return free.bytes();
    }

    /** Forgets a retired segment once its file is deleted: later manifests no longer list it. */
    synchronized void deleted(Segment segment) {
        obsolete.remove(segment.id());
    }

    /**
     * Marks the inputs of a finished compaction as obsolete (listed so in the next manifest, so
     * that a crash while deleting them leaves files known to be stale) and ends its output range.
     */
    synchronized void retire(List<Segment> inputs) {
        for (Segment input : inputs) {
            obsolete.add(input.id());
        }
        endCompaction();
    }

    /** Ends the output range of the compaction in progress; its outputs stay as registered. */
    synchronized void endCompaction() {
        outputFirst = 0;
        outputLast = 0;
    }

    /** The file set as it is now. */
    synchronized Manifest fileSet() {
        long[] ids = new long[byId.size()];
        int count = 0;
        long maxId = 0;
        for (Segment segment : byId.values()) {
            long id = segment.id();
            maxId = Math.max(maxId, id);
            if (!obsolete.contains(id)) {
                ids[count++] = id;
            }
        }
        long[] live = Arrays.copyOf(ids, count);
        Arrays.sort(live);
        long[] retired = new long[obsolete.size()];
        int i = 0;
        for (LongHashSet.LongIterator it = obsolete.iterator(); it.hasNext(); ) {
            retired[i++] = it.nextValue();
        }
        Arrays.sort(retired);
        return new Manifest(maxId + 1, outputFirst, outputLast, live, retired);
    }

    /** Tells the table which manifest recovery found on disk (none: null). */
    void loaded(Manifest manifest) {
        synchronized (manifestLock) {
            written = manifest;
        }
    }

    /**
     * Writes the manifest if the file set changed since it was last written. Under a syncing
     * policy, the directory is synced first (so every file it lists has a durable name), the new
     * manifest is forced before it is renamed into place, and the directory is synced again.
     *
     * @throws StorageException if the manifest cannot be written
     */
    void recordFileSet() {
        synchronized (manifestLock) {
            Manifest current = fileSet();
            if (current.equals(written)) {
                return;
            }
            if (sync) {
                io.syncDirectory(directory);
            }
            Path file = SegmentFiles.manifestPath(directory.path());
            CrashPoints.reach(CrashPoints.MANIFEST_BEFORE_REPLACE);
            try {
                io.replaceFile(SegmentFiles.manifestTemporaryPath(directory.path()), file, current.encode(), sync);
            } catch (IOException e) {
                throw new StorageException("cannot write " + file + ": " + e.getMessage(), e);
            }
            CrashPoints.reach(CrashPoints.MANIFEST_AFTER_REPLACE);
            if (sync) {
                io.syncDirectory(directory);
            }
            written = current;
        }
    }

    /** Makes {@code segment} the active one (recovery). */
    synchronized void activate(Segment segment) {
        this.active = segment;
    }

    /** Creates a new active segment after recovery found none to continue. */
    synchronized Segment createActive() {
        Segment segment = create(nextId, SegmentHeader.KIND_LOG, segmentBytes);
        syncCreation(segment);
        active = segment;
        return segment;
    }

    /**
     * A switch of the active segment: writers append to {@code next} from now on;
     * {@code previous} still has to be sealed, by {@link #finishRoll}, outside the writer lock.
     */
    record Roll(Segment previous, Segment next) {
    }

    /**
     * Starts a new active segment with room for a record of {@code recordLength} bytes. Writer
     * lock held; the slow part (syncs and the seal) is left to {@link #finishRoll}.
     */
    synchronized Roll roll(int recordLength) {
        Segment previous = active;
        Segment next = create(nextId, SegmentHeader.KIND_LOG, capacityFor(recordLength));
        CrashPoints.reach(CrashPoints.ROLL_AFTER_CREATE);
        next.follows(previous);
        active = next;
        return new Roll(previous, next);
    }

    /**
     * Completes a roll without the writer lock: under a syncing policy, forcing the new segment
     * seals and forces the previous one first, then syncs the new file and its directory entry;
     * otherwise the previous one is just sealed. Then the manifest lists the new segment. Writers
     * append to the new segment meanwhile; nothing appends to the old.
     */
    void finishRoll(Roll roll) {
        CrashPoints.reach(CrashPoints.ROLL_BEFORE_SEAL);
        if (sync) {
            roll.next().force();
        }
        roll.previous().seal(sync);
        CrashPoints.reach(CrashPoints.ROLL_AFTER_SEAL);
        recordFileSet();
    }

    /** The segments a compaction rewrites, the ids reserved for its output, and its roll. */
    record CompactionPlan(List<Segment> inputs, long firstOutputId, long lastOutputId, Roll roll) {
    }

    /**
     * The active segment of a compaction about to start, made by {@link #prepareCompaction}
     * without the writer lock. It holds for as long as {@code after} stays the active segment
     * (no roll in between), which {@link #startCompaction} checks.
     */
    record PreparedCompaction(Segment after, int inputCount, long firstOutputId, long lastOutputId, Segment next) {
    }

    /**
     * Reserves the ids of a compaction of every open segment and creates the segment that will
     * become active when it starts, without registering it. Called by the compactor without the
     * writer lock: creating a file, allocating its first chunk and touching its pages takes
     * milliseconds that every writer would otherwise wait for.
     *
     * <p>Output takes at most {@code 2 * inputs + 1} segments: any two consecutive output
     * segments hold more than one segment's worth of records (the next record did not fit), and
     * the live records fit in the inputs.
     */
    PreparedCompaction prepareCompaction() {
        Segment after;
        int inputCount;
        long firstOutputId;
        long lastOutputId;
        long activeId;
        synchronized (this) {
            after = active;
            inputCount = byId.size();
            long maxInputId = snapshot().get(inputCount - 1).id();
            firstOutputId = maxInputId + 1;
            lastOutputId = lastOutputId(maxInputId, inputCount);
            activeId = lastOutputId + 1;
            // A roll meanwhile takes a later id, and startCompaction then finds this one stale.
            nextId = Math.max(nextId, activeId + 1);
        }
        checkId(activeId);
        Segment next = newSegment(activeId, SegmentHeader.KIND_LOG, segmentBytes);
        return new PreparedCompaction(after, inputCount, firstOutputId, lastOutputId, next);
    }

    /**
     * Makes every open segment an input and the prepared segment the active one, and reserves
     * the output range (recorded in the manifest by {@link #finishRoll}). Writer lock held; the
     * caller finishes the roll afterwards, which seals the last input. If a roll came
     * between {@link #prepareCompaction} and this call, the prepared segment is deleted and a new
     * active segment is created here, under the lock, as a roll would.
     */
    synchronized CompactionPlan startCompaction(PreparedCompaction prepared) {
        List<Segment> inputs = snapshot();
        Segment previous = active;
        Segment next;
        long firstOutputId;
        long lastOutputId;
        if (previous == prepared.after() && inputs.size() == prepared.inputCount()) {
            next = prepared.next();
            firstOutputId = prepared.firstOutputId();
            lastOutputId = prepared.lastOutputId();
            register(next);
        } else {
            prepared.next().delete();
            long maxInputId = inputs.get(inputs.size() - 1).id();
            firstOutputId = maxInputId + 1;
            lastOutputId = lastOutputId(maxInputId, inputs.size());
            nextId = lastOutputId + 1;
            next = create(nextId, SegmentHeader.KIND_LOG, segmentBytes);
        }
        next.follows(previous);
        active = next;
        outputFirst = firstOutputId;
        outputLast = lastOutputId;
        return new CompactionPlan(inputs, firstOutputId, lastOutputId, new Roll(previous, next));
    }

    /** Creates and registers a compaction output segment, durable at once. */
    Segment createOutput(long id, int recordLength) {
        Segment segment;
        synchronized (this) {
            segment = create(id, SegmentHeader.KIND_COMPACTION, capacityFor(recordLength));
        }
        syncCreation(segment);
        return segment;
    }

    /** The capacity of a segment that must hold a record of {@code recordLength} bytes. */
    long capacityFor(int recordLength) {
        long needed = (long) SegmentHeader.LENGTH + recordLength;
        return Math.max(segmentBytes, needed);
    }

    private Segment create(long id, byte kind, long capacity) {
        checkId(id);
        Segment segment = newSegment(id, kind, capacity);
        register(segment);
        nextId = Math.max(nextId, id + 1);
        return segment;
    }

    /** Makes segment {@code id} in a kept file if there is one and the capacity is standard, else in a new file. */
    private Segment newSegment(long id, byte kind, long capacity) {
        FreeSegments.FreeFile kept = capacity == segmentBytes ? free.take() : null;
        if (kept != null) {
            try {
                return Segment.reuse(kept, directory.path(), id, kind, capacity, io, this::syncDirectory);
            } catch (StorageException e) {
                // The kept file is gone (reuse deletes it on failure); a new file may still work.
                LOG.debug("cannot reuse a retired segment's file, creating a new one: {}", e.getMessage());
            }
        }
        return Segment.create(directory.path(), id, kind, capacity, io, this::syncDirectory);
    }

    /** Makes {@code segment} visible to lookups (copy on write); the caller holds this monitor. */
    private void register(Segment segment) {
        Int2ObjectHashMap<Segment> copy = new Int2ObjectHashMap<>(byId);
        copy.put((int) segment.id(), segment);
        byId = copy;
    }

    /** The last id reserved for the output of a compaction of {@code inputCount} segments. */
    private static long lastOutputId(long maxInputId, int inputCount) {
        return maxInputId + 2L * inputCount + 1;
    }

    private void checkId(long id) {
        if (id > Location.MAX_SEGMENT_ID) {
            throw new StorageException("segment ids exhausted at " + id + " in " + directory.path()
                    + ": copy the data into a new store", null);
        }
    }

    /** Under a syncing policy, forces a new segment's header and its directory entry to disk. */
    private void syncCreation(Segment segment) {
        if (sync) {
            segment.force();
        }
    }

    /** Closes every segment and deletes the kept files; the engine is closing and no reader remains. */
    synchronized void closeAll() {
        for (Segment segment : byId.values()) {
            segment.close();
        }
        free.deleteAll();
    }
}
