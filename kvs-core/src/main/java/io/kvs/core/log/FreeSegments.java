package io.kvs.core.log;

import io.kvs.core.StorageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The files of segments that compaction retired, kept to become new segments instead of being
 * deleted, as RocksDB recycles its write-ahead logs. Deleting a 64 MiB segment makes the kernel
 * evict its cached pages at once (about 5 ms of a core here), and a new file then needs its
 * blocks allocated with writes of zeros; a kept file has both its blocks and its pages.
 *
 * <p>At most {@link #MAX_FILES} files are kept, so a compaction still gives back the rest of the
 * space it frees. A file is kept only if it has the standard segment capacity and no other link:
 * a checkpoint hard-links sealed segments, and a file it shares must never be written again. A
 * kept file is named {@code <id>.log.free} (its id in its last life); it is not part of the file
 * set, and the next open deletes any a crash left behind, as does {@link #deleteAll} at close.
 * Thread-safe.
 */
final class FreeSegments {

    private static final Logger LOG = LoggerFactory.getLogger(FreeSegments.class);

    /** Retired files kept at most: two segments' worth of space (128 MiB by default). */
    static final int MAX_FILES = 2;

    /**
     * Bytes zeroed at the start of a kept file (its header and first records, one page), so that
     * a reuse whose new header a power loss undid opens as a blank segment (LogRecovery deletes it).
     */
    static final int BLANKED_BYTES = 4096;

    /** A kept file and the end of the blocks it has allocated. */
    record FreeFile(Path file, long blocksEnd) {
    }

    private final Path dir;
    private final long segmentBytes;
    private final LogIo io;
    /** Guarded by this. */
    private final ArrayDeque<FreeFile> files = new ArrayDeque<>();

    FreeSegments(Path dir, long segmentBytes, LogIo io) {
        this.dir = dir;
        this.segmentBytes = segmentBytes;
        this.io = io;
    }

    /**
     * Closes a retired segment and keeps its file for reuse, or deletes it. No reader may hold
     * the segment any more, and the manifest must already list it as obsolete.
     *
     * @throws StorageException if the file can be neither kept nor deleted
     */
    void keepOrDelete(Segment segment) {
        segment.close();
        CrashPoints.reach(CrashPoints.FILE_BEFORE_DELETE);
        Path file = segment.file();
        if (reusable(segment)) {
            Path free = SegmentFiles.freePath(dir, segment.id());
            try {
                io.keepFile(file, free, BLANKED_BYTES);
                CrashPoints.reach(CrashPoints.FILE_AFTER_KEEP);
                synchronized (this) {
                    files.add(new FreeFile(free, Math.min(segment.allocatedEnd(), segment.capacity())));
                }
                return;
            } catch (IOException e) {
                LOG.debug("cannot keep {} for reuse, deleting it: {}", file, e.getMessage());
            }
        }
        try {
            io.delete(file);
        } catch (IOException e) {
            throw new StorageException("cannot delete segment " + file + ": " + e.getMessage(), e);
        }
    }

    /** A kept file to reuse, no longer kept; or null if there is none. */
    synchronized FreeFile take() {
        return files.poll();
    }

    /** Files kept now (for tests and stats). */
    synchronized int size() {
        return files.size();
    }

    /** Bytes the kept files take: each has the standard segment capacity. */
    synchronized long bytes() {
        return files.size() * segmentBytes;
    }

    /** Deletes every kept file (the store is closing); a failure is logged, and the next open retries. */
    void deleteAll() {
        List<FreeFile> all;
        synchronized (this) {
            all = new ArrayList<>(files);
            files.clear();
        }
        for (FreeFile free : all) {
            try {
                io.delete(free.file());
            } catch (IOException e) {
                LOG.warn("cannot delete {} (the next open deletes it): {}", free.file(), e.getMessage());
            }
        }
    }

    private boolean reusable(Segment segment) {
        synchronized (this) {
            if (files.size() >= MAX_FILES) {
                return false;
            }
        }
        return segment.capacity() == segmentBytes && linkCount(segment.file()) == 1;
    }

    /** The file's hard links, or 0 where the file system cannot tell (then it is not reused). */
    private static int linkCount(Path file) {
        try {
            Object links = Files.getAttribute(file, "unix:nlink");
            return links instanceof Integer count ? count : 0;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | SecurityException e) {
            return 0;
        }
    }
}
