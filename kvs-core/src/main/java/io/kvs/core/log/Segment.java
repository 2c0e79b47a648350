package io.kvs.core.log;

import io.kvs.core.CorruptLogException;
import io.kvs.core.StorageException;
import net.openhft.chronicle.bytes.MappedBytesStore;
import net.openhft.chronicle.bytes.MappedFile;
import net.openhft.chronicle.core.io.IORuntimeException;
import net.openhft.chronicle.core.io.ReferenceOwner;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One segment file, memory-mapped whole through Chronicle Bytes.
 *
 * <p>Writes append at {@link #writePosition()}; they are confined to one thread at a time (the
 * engine's writer, or the compactor for its own output segments). Reads at any offset below the
 * published write position are safe from any number of threads. Before bytes are written
 * through the mapping, the file's blocks are allocated with ordinary writes of zeros
 * ({@link #ALLOCATION_CHUNK_BYTES} at a time), so a full disk surfaces as a
 * {@link StorageException} on the write that needs the space instead of a fault on a mapped page.
 * A {@link SpaceAllocator} may allocate the next chunk ahead of the writer, on its own thread
 * ({@link #claimAllocationAhead}, {@link #allocateAhead}); a write that finds no room allocated
 * allocates it itself.
 *
 * <p>Durability is ordered: a segment that replaced another as the active one ({@link #follows})
 * seals and forces its predecessor before it forces itself, and the first force of a new
 * segment also syncs the directory entry that names it. So whatever a power loss keeps of the
 * log is a prefix of it.
 *
 * <p>A new segment may reuse the file of one that compaction retired ({@link FreeSegments},
 * {@link #reuse}): its blocks are allocated already, so only its pages are touched ahead of the
 * writer, and the records of its earlier life stay past the write position. They never verify
 * again: in format 3 every top-level record's stored checksum is XORed with a salt of the
 * segment id ({@link SegmentHeader#checksumSalt}), which {@link #append} applies. After each
 * record appended over earlier contents, a blank header (13 zero bytes) marks the end, so a
 * reopen after a process crash finds the end as it does in a fresh file.
 *
 * <p>The mapping is released by {@link #close()}; the caller must ensure that no thread still
 * reads the segment then ({@link ReadEpochs}).
 */
final class Segment implements ReferenceOwner {

    /** Space allocated ahead of the write position, in bytes. */
    static final long ALLOCATION_CHUNK_BYTES = 1024 * 1024;
    /**
     * Allocated space that sets leave to removes (64 KiB: about 2,000 tombstones of short keys),
     * so that a user can still delete keys when the disk is full.
     */
    static final long REMOVE_RESERVE_BYTES = 64 * 1024;
    /** Granularity of {@link #prefault}: the smallest page size of the platforms kvs runs on. */
    private static final long PAGE_BYTES = 4096;
    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(64 * 1024).asReadOnlyBuffer();
    /** What follows the last record in a reused file: a blank record header. */
    private static final byte[] END_MARKER = new byte[RecordDescriptor.HEADER_LENGTH];

    /** The stride of {@link #touch}. */
    private static final int CACHE_LINE_BYTES = 64;
    /** The most bytes of one record {@link #touch} loads: a large value gains nothing from it. */
    private static final long MAX_TOUCH_BYTES = 4096;

    private final long id;
    private final int version;
    /** XORed into the stored checksum of every top-level record ({@link SegmentHeader#checksumSalt}). */
    private final int checksumSalt;
    /** The salted checksum of the record being appended; appends are confined to one thread at a time. */
    private final byte[] saltedChecksum = new byte[4];
    private final byte kind;
    private final Path file;
    private final long capacity;
    private final LogIo io;
    private final MappedFile mappedFile;
    private final MappedBytesStore store;

    private volatile long writePosition;
    private static final VarHandle WRITE_POSITION;

    static {
        try {
            WRITE_POSITION = MethodHandles.lookup().findVarHandle(Segment.class, "writePosition", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
    private volatile long sealedEnd;
    /**
     * End of the space known to be allocated on disk, and its pages touched: written under
     * allocationLock, only after the space is ready, so a writer that reads it may write below it.
     */
    private volatile long allocatedEnd;
    /**
     * End of the blocks a reused file had allocated in its earlier life (0 for a new file):
     * below it, allocating only touches pages, and earlier records may follow the write position.
     * Written before the segment is shared, and by recovery.
     */
    private long reusedBlocksEnd;
    /** Serializes allocations (the writer's and the allocator's) with each other and with close. */
    private final Object allocationLock = new Object();
    /** Set by close before the mapping goes; guarded by allocationLock. */
    private boolean unmapped;
    /** A chunk ahead was claimed and is not yet allocated: set by the writer, cleared by the allocator. */
    private volatile boolean allocationAheadPending;
    /**
     * The last allocation ahead failed (a full disk): no more are claimed until a writer's own
     * allocation succeeds, so a full disk does not cost a failed attempt per write.
     */
    private volatile boolean allocationAheadFailed;

    private final Object forceLock = new Object();
    /** Bytes known to be forced to the device; guarded by forceLock. */
    private long durableEnd;
    /** Guarded by forceLock. */
    private boolean closed;
    /** The segment this one replaced, until it is sealed durably; guarded by forceLock. */
    private Segment predecessor;
    /** Syncs the directory entry of this new segment on its first force, then null; guarded by forceLock. */
    private Runnable directorySync;

    /** Bytes of records in this segment that are overwritten, removed, or tombstones. */
    private final AtomicLong staleBytes = new AtomicLong();

    private Segment(long id, int version, long saltId, byte kind, Path file, long capacity, long writePosition,
                    long sealedEnd, LogIo io) {
        this.id = id;
        this.version = version;
        this.checksumSalt = SegmentHeader.checksumSalt(saltId, version);
        this.kind = kind;
        this.file = file;
        this.io = io;
        try {
            this.mappedFile = MappedFile.ofSingle(file.toFile(), capacity, false);
            this.store = mappedFile.acquireByteStore(this, 0);
        } catch (IOException | IORuntimeException e) {
            throw new StorageException("cannot map segment " + file + ": " + e.getMessage(), e);
        }
        this.capacity = Math.min(capacity, store.capacity());
        this.writePosition = writePosition;
        this.sealedEnd = sealedEnd;
        this.allocatedEnd = writePosition;
        this.durableEnd = writePosition;
    }

    /**
     * Creates segment {@code id} in {@code dir} with room for {@code capacity} bytes and writes its
     * header (a temporary file renamed into place, so a segment file never exists without its
     * header). Nothing is forced here: the first {@link #forceTo} forces the file and runs
     * {@code directorySync}, outside any lock writers wait for.
     *
     * @throws StorageException if the file cannot be created, written or mapped
     */
    static Segment create(Path dir, long id, byte kind, long capacity, LogIo io, Runnable directorySync) {
        Path file = SegmentFiles.path(dir, id);
        Path temporary = SegmentFiles.temporaryPath(dir, id);
        try {
            io.createFile(temporary, file, SegmentHeader.encode(id, kind));
        } catch (IOException e) {
            deleteQuietly(temporary);
            throw new StorageException("cannot create segment " + file + ": " + e.getMessage(), e);
        }
        return prepared(mapNew(file, id, kind, capacity, io), directorySync);
    }

    /**
     * Creates segment {@code id} like {@link #create}, but in {@code free}, the file of a retired
     * segment of {@code capacity} bytes: its new header is written over the old one and the file
     * renamed to the segment's name. If that fails, the free file is deleted and the error thrown.
     *
     * @throws StorageException if the file cannot be rewritten, renamed or mapped
     */
    static Segment reuse(FreeSegments.FreeFile free, Path dir, long id, byte kind, long capacity, LogIo io,
                         Runnable directorySync) {
        Path file = SegmentFiles.path(dir, id);
        try {
            io.reuseFile(free.file(), file, SegmentHeader.encode(id, kind));
            CrashPoints.reach(CrashPoints.SEGMENT_AFTER_REUSE);
        } catch (IOException e) {
            deleteQuietly(free.file());
            throw new StorageException("cannot reuse " + free.file() + " as segment " + file + ": " + e.getMessage(), e);
        }
        Segment segment = mapNew(file, id, kind, capacity, io);
        // Its first page was blanked when it was kept: the records end at the header until appended to.
        segment.reusedBlocksEnd = Math.min(free.blocksEnd(), segment.capacity);
        return prepared(segment, directorySync);
    }

    /** Maps a new segment's file, with its header in place and no records; on failure deletes the file. */
    private static Segment mapNew(Path file, long id, byte kind, long capacity, LogIo io) {
        try {
            return new Segment(id, SegmentHeader.VERSION, id, kind, file, capacity, SegmentHeader.LENGTH, 0, io);
        } catch (StorageException e) {
            deleteQuietly(file);
            throw e;
        }
    }

    /** Sets the directory sync of a new segment and allocates its first chunk; on failure deletes it. */
    private static Segment prepared(Segment segment, Runnable directorySync) {
        Path file = segment.file;
        segment.directorySync = directorySync;
        try {
            // Allocate the first chunk now, so that the first appends do not pay for it.
            segment.allocate(SegmentHeader.LENGTH + 1);
        } catch (StorageException e) {
            segment.close();
            deleteQuietly(file);
            throw e;
        }
        return segment;
    }

    /**
     * Maps an existing segment file with room for at least {@code minCapacity} bytes. The write
     * position starts at the sealed end, or at the first record for an unsealed segment, until
     * recovery finds its end ({@link #recoverTail}).
     */
    static Segment open(Path file, long id, SegmentHeader.Parsed header, long minCapacity, LogIo io) {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new StorageException("cannot read segment " + file + ": " + e.getMessage(), e);
        }
        long capacity = Math.max(size, header.sealed() ? SegmentHeader.LENGTH : minCapacity);
        if (header.sealed() && header.sealedEnd() > size) {
            throw new CorruptLogException("sealed segment is shorter than its sealed end "
                    + header.sealedEnd(), file, size);
        }
        long start = header.sealed() ? header.sealedEnd() : SegmentHeader.LENGTH;
        // The salt is the one the records were written under: that of the id in the header.
        return new Segment(id, header.version(), header.segmentId(), header.kind(), file, capacity, start,
                header.sealedEnd(), io);
    }

    /** Reads the raw header bytes of a segment file, or null if the file is shorter than a header. */
    static byte[] readHeader(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer header = ByteBuffer.allocate(SegmentHeader.LENGTH);
            while (header.hasRemaining()) {
                if (channel.read(header) < 0) {
                    return null;
                }
            }
            return header.array();
        } catch (IOException e) {
            throw new StorageException("cannot read segment " + file + ": " + e.getMessage(), e);
        }
    }

    long id() {
        return id;
    }

    byte kind() {
        return kind;
    }

    /** The format version in the segment's header. */
    int version() {
        return version;
    }

    /** What the stored checksum of a top-level record in this segment is XORed with (0: nothing). */
    int checksumSalt() {
        return checksumSalt;
    }

    Path file() {
        return file;
    }

    long capacity() {
        return capacity;
    }

    /** The end of the records: everything below is written and readable. */
    long writePosition() {
        return writePosition;
    }

    boolean sealed() {
        return sealedEnd > 0;
    }

    /** Bytes of records that are no longer live. */
    long staleBytes() {
        return staleBytes.get();
    }

    void addStaleBytes(long bytes) {
        staleBytes.addAndGet(bytes);
    }

    /** Records that this segment replaced {@code previous} as the active one (see class comment). */
    void follows(Segment previous) {
        synchronized (forceLock) {
            this.predecessor = previous;
        }
    }

    /**
     * The space a record that may use the reserve leaves for removes: {@link #REMOVE_RESERVE_BYTES},
     * or a sixteenth of a small segment.
     */
    long removeReserveBytes() {
        return Math.min(REMOVE_RESERVE_BYTES, capacity / 16);
    }

    /** True if a record of {@code length} bytes fits after the write position, leaving {@code reserveBytes}. */
    boolean hasRoomFor(int length, long reserveBytes) {
        return !sealed() && writePosition + length + reserveBytes <= capacity;
    }

    /**
     * Appends {@code length} bytes of {@code source} from {@code sourceOffset} and returns the
     * offset they were written at; the space for {@code reserveBytes} more (or up to the capacity)
     * must be allocated as well, so that a full disk fails this append rather than eat into space
     * kept for removes. The caller has checked {@link #hasRoomFor}.
     *
     * @throws StorageException if the space cannot be allocated (disk full) or the write faults
     */
    long append(byte[] source, int sourceOffset, int length, long reserveBytes) {
        long offset = writePosition;
        long end = offset + length;
        if (sealed() || end > capacity) {
            throw new IllegalStateException("no room in segment " + id + " for " + length + " bytes");
        }
        long needed = Math.min(capacity, end + reserveBytes);
        if (needed > allocatedEnd) {
            synchronized (allocationLock) {
                // An allocation ahead may be under way: wait for it, then take what is still missing.
                if (needed > allocatedEnd) {
                    allocate(needed);
                    allocationAheadFailed = false;
                }
            }
        }
        try {
            store.write(offset, source, sourceOffset, length);
            if (checksumSalt != 0 && length >= RecordDescriptor.HEADER_LENGTH) {
                int plain = LittleEndian.getInt(source, sourceOffset + RecordDescriptor.CHECKSUM_OFFSET);
                LittleEndian.putInt(saltedChecksum, 0, plain ^ checksumSalt);
                store.write(offset + RecordDescriptor.CHECKSUM_OFFSET, saltedChecksum, 0, saltedChecksum.length);
            }
            if (end < reusedBlocksEnd && end + END_MARKER.length <= allocatedEnd) {
                store.write(end, END_MARKER, 0, END_MARKER.length);
            }
        } catch (InternalError e) {
            throw new StorageException("write to segment " + file + " at offset " + offset + " failed: " + e.getMessage(), e);
        }
        // A release store, not a volatile one: it publishes the bytes above to any reader that
        // reads the position, without the full fence a volatile store costs on every append.
        WRITE_POSITION.setRelease(this, end);
        return offset;
    }

    /**
     * Copies {@code length} bytes at {@code offset} into {@code target}.
     *
     * @throws CorruptLogException if the range lies outside the segment
     */
    void read(long offset, byte[] target, int targetOffset, int length) {
        checkBounds(offset, length);
        try {
            store.read(offset, target, targetOffset, length);
        } catch (InternalError e) {
            throw new StorageException("read of segment " + file + " at offset " + offset + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Loads a byte of every cache line of the record at {@code offset}, its first
     * {@link #MAX_TOUCH_BYTES} at most and only what lies below the write position (written, so
     * backed by the file), for {@link LogReader#touch}; returns a sum of what it loaded (0 out of
     * bounds). Verifies nothing: the read that follows does. The lengths are read in the
     * machine's order (little-endian on the machines kvs runs on); read wrong, they would only
     * change how much is touched.
     */
    int touch(long offset) {
        long written = writePosition;
        if (offset < SegmentHeader.LENGTH || offset + RecordDescriptor.HEADER_LENGTH > written) {
            return 0;
        }
        try {
            long keyLength = Integer.toUnsignedLong(store.readInt(offset + RecordDescriptor.KEY_LENGTH_OFFSET));
            long valueLength = Integer.toUnsignedLong(store.readInt(offset + RecordDescriptor.VALUE_LENGTH_OFFSET));
            long end = Math.min(offset + Math.min(RecordDescriptor.HEADER_LENGTH + keyLength + valueLength, MAX_TOUCH_BYTES),
                    written);
            int sum = (int) keyLength;
            for (long at = offset + CACHE_LINE_BYTES; at < end; at += CACHE_LINE_BYTES) {
                sum += store.readByte(at);
            }
            return sum + store.readByte(end - 1);
        } catch (InternalError e) {
            return 0; // a page the file cannot give (an I/O error): the read that follows reports it
        }
    }

    /**
     * Copies like {@link #read}, but with file reads instead of through the mapping, for ranges
     * whose blocks may never have been allocated: touching a hole through a mapping faults when
     * the file system has no page to give it (a full tmpfs), a file read returns zeros. Bytes
     * past the end of the file read as zeros.
     *
     * @throws CorruptLogException if the range lies outside the segment
     * @throws StorageException if the read fails
     */
    void readThroughFile(long offset, byte[] target, int targetOffset, int length) {
        checkBounds(offset, length);
        ByteBuffer buffer = ByteBuffer.wrap(target, targetOffset, length);
        FileChannel channel = mappedFile.raf().getChannel();
        try {
            while (buffer.hasRemaining()) {
                if (channel.read(buffer, offset + buffer.position() - targetOffset) < 0) {
                    Arrays.fill(target, buffer.position(), targetOffset + length, (byte) 0);
                    return;
                }
            }
        } catch (IOException e) {
            throw new StorageException("read of segment " + file + " at offset " + offset + " failed: " + e.getMessage(), e);
        }
    }

    /** A range to read must lie in the record area: past the header, within the capacity. */
    private void checkBounds(long offset, int length) {
        if (offset < SegmentHeader.LENGTH || length < 0 || offset + length > capacity) {
            throw new CorruptLogException("record out of segment bounds (length " + length + ")", file, offset);
        }
    }

    /** Forces every byte written so far to the device. */
    void force() {
        forceTo(writePosition);
    }

    /**
     * Returns once the bytes below {@code position} are on the device, after the predecessor's
     * and together with this segment's directory entry. Concurrent callers share one force:
     * whoever forces covers everything written before it started.
     *
     * @throws StorageException if the force fails
     */
    void forceTo(long position) {
        Segment before;
        synchronized (forceLock) {
            // A closed segment was sealed first, and sealing forces everything.
            if (closed || durableEnd >= position) {
                return;
            }
            before = predecessor;
        }
        if (before != null) {
            before.seal(true);
        }
        synchronized (forceLock) {
            if (closed || durableEnd >= position) {
                return;
            }
            predecessor = null;
            long target = writePosition;
            forceChannel(target);
            durableEnd = target;
        }
    }

    /** Forces the file, then the directory entry of a new file; the caller holds forceLock. */
    private void forceChannel(long dataLength) {
        try {
            io.force(mappedFile.raf().getChannel(), file, dataLength);
        } catch (IOException e) {
            throw new StorageException("cannot sync segment " + file + ": " + e.getMessage(), e);
        }
        if (directorySync != null) {
            directorySync.run();
            directorySync = null;
        }
    }

    /**
     * Seals the segment at its write position: no more appends, and its seal records where the
     * records end. With {@code sync}, the predecessor is sealed durably first, the records are
     * forced before the seal is written and the seal after it, so a sealed segment on disk always
     * holds all its records. A closed segment (compacted away meanwhile) is left alone: the lock
     * keeps the mapping alive while sealing.
     */
    void seal(boolean sync) {
        if (sync) {
            Segment before;
            synchronized (forceLock) {
                before = predecessor;
            }
            if (before != null) {
                before.seal(true);
            }
        }
        synchronized (forceLock) {
            if (closed || sealed()) {
                return;
            }
            long end = writePosition;
            if (sync) {
                predecessor = null;
                forceChannel(end);
                durableEnd = end;
            }
            byte[] seal = SegmentHeader.encodeSeal(end);
            try {
                store.write(SegmentHeader.SEALED_END_OFFSET, seal, 0, seal.length);
            } catch (InternalError e) {
                throw new StorageException("cannot seal segment " + file + ": " + e.getMessage(), e);
            }
            sealedEnd = end;
            io.sealWritten(file);
            if (sync) {
                forceChannel(end);
            }
        }
    }

    /** Moves the write position to the end of the records replayed so far (recovery only). */
    void markRecovered(long end) {
        writePosition = end;
    }

    /**
     * Ends an unsealed segment at {@code end} after recovery: the bytes after it are cut off
     * (they read as zeros afterwards) and the next append starts there. Only during open, when
     * no other thread can touch the segment.
     */
    void recoverTail(long end) {
        try {
            FileChannel channel = mappedFile.raf().getChannel();
            if (channel.size() > end) {
                io.truncate(channel, file, end);
            }
            mappedFile.raf().setLength(capacity);
        } catch (IOException e) {
            throw new StorageException("cannot cut the torn tail of " + file + " at offset " + end + ": " + e.getMessage(), e);
        }
        writePosition = end;
        allocatedEnd = end;
        // Past the cut the file is a hole now: nothing of an earlier life is left.
        reusedBlocksEnd = Math.min(reusedBlocksEnd, end);
        synchronized (forceLock) {
            durableEnd = end;
        }
    }

    /**
     * True if less than {@link #ALLOCATION_CHUNK_BYTES} of allocated space is left past the
     * write position, the segment is not fully allocated, and no allocation ahead is pending or
     * failed since the writer last allocated for itself; then the caller has claimed one and
     * must have {@link #allocateAhead} run. Writer only.
     */
    boolean claimAllocationAhead() {
        long allocated = allocatedEnd;
        // A sealed segment takes no appends, so no claims; allocateAhead checks the seal anyway.
        if (allocationAheadPending || allocationAheadFailed || allocated >= capacity
                || allocated - writePosition >= ALLOCATION_CHUNK_BYTES) {
            return false;
        }
        allocationAheadPending = true;
        return true;
    }

    /**
     * Allocates the chunk after the allocated end, as {@link #claimAllocationAhead} claimed, from
     * any thread. Does nothing once the segment is closed or sealed. A failure (a full disk) is
     * returned, not thrown: the write that needs the space meets it again and reports it.
     *
     * @return null, or why the space could not be allocated
     */
    StorageException allocateAhead() {
        try {
            synchronized (allocationLock) {
                if (!unmapped && !sealed() && allocatedEnd < capacity) {
                    allocate(allocatedEnd + 1);
                }
            }
            return null;
        } catch (StorageException e) {
            allocationAheadFailed = true;
            return e;
        } finally {
            allocationAheadPending = false;
        }
    }

    /** End of the space allocated so far (for tests and stats). */
    long allocatedEnd() {
        return allocatedEnd;
    }

    /** True while a chunk ahead is claimed and not yet allocated. */
    boolean allocationAheadPending() {
        return allocationAheadPending;
    }

    /** Gives up a claim {@link #claimAllocationAhead} made (the allocator is closing). */
    void abandonAllocationAhead() {
        allocationAheadPending = false;
    }

    /** Unmaps the segment. No thread may read it afterwards. */
    void close() {
        synchronized (forceLock) {
            if (closed) {
                return;
            }
            closed = true;
            predecessor = null;
        }
        synchronized (allocationLock) {
            // An allocation ahead touches pages through the mapping: it ends before the unmap.
            unmapped = true;
        }
        store.release(this);
        mappedFile.releaseLast();
        // Chronicle's single-chunk mapped file keeps its own reference to the store; drop it so
        // the mapping is released now rather than never.
        if (store.refCount() > 0) {
            store.release(mappedFile);
        }
    }

    /** Closes the segment and deletes its file. */
    void delete() {
        close();
        CrashPoints.reach(CrashPoints.FILE_BEFORE_DELETE);
        try {
            io.delete(file);
        } catch (IOException e) {
            throw new StorageException("cannot delete segment " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Allocates up to {@code end} rounded up to a chunk (at most the capacity): writes zeros past
     * the blocks a reused file has, and touches the pages. allocationLock held, or the segment
     * not yet shared.
     */
    private void allocate(long end) {
        long target = Math.min(capacity, roundUp(end, ALLOCATION_CHUNK_BYTES));
        FileChannel channel = mappedFile.raf().getChannel();
        long from = allocatedEnd;
        long position = Math.max(from, Math.min(reusedBlocksEnd, target));
        try {
            while (position < target) {
                ByteBuffer zeros = ZEROS.duplicate();
                zeros.limit((int) Math.min(zeros.capacity(), target - position));
                position += io.allocate(channel, file, zeros, position);
            }
        } catch (IOException e) {
            throw new StorageException("cannot allocate space in segment " + file + " (is the disk full?): "
                    + e.getMessage(), e);
        } finally {
            // Whatever was written is allocated, even if the rest failed. The pages are touched
            // before the new end is published: a writer must not write where a zero is still to come.
            if (position > from) {
                prefault(from, position);
                allocatedEnd = position;
            }
        }
    }

    /**
     * Writes a zero into every page of the newly allocated range through the mapping, so the
     * page faults of first access happen here, once per chunk, rather than inside appends.
     * The blocks are allocated, so the writes cannot fault on a full disk.
     */
    private void prefault(long from, long to) {
        long page = Math.max(SegmentHeader.LENGTH, roundUp(from, PAGE_BYTES));
        try {
            for (; page < to; page += PAGE_BYTES) {
                store.writeByte(page, (byte) 0);
            }
        } catch (InternalError e) {
            throw new StorageException("cannot touch segment " + file + " at offset " + page + ": " + e.getMessage(), e);
        }
    }

    private static long roundUp(long value, long multiple) {
        return (value + multiple - 1) / multiple * multiple;
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // The create already failed; its error is the one worth reporting.
        }
    }

    @Override
    public String referenceName() {
        return "kvs-segment-" + id;
    }

    @Override
    public String toString() {
        return "Segment{id=" + id + ", file=" + file + ", writePosition=" + writePosition
                + ", sealed=" + sealed() + '}';
    }
}
