package io.kvs.core.log;

import io.kvs.core.CorruptLogException;
import io.kvs.core.StorageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Rebuilds the index from the segment files when a store opens.
 *
 * <p>Segments are replayed in id order. A sealed segment must parse exactly up to its sealed
 * end; anything else is corruption, reported as {@link CorruptLogException} with the file and
 * offset. The unsealed last segment ends at its first blank or invalid record: a torn write
 * can only damage the record being written and what follows it, so that tail is cut off and the
 * next append starts there. One exception: if the damaged record announces a length and a valid
 * record follows at that length, the damage is in the middle of written data, not a torn tail,
 * and is reported instead of silently dropping what follows.
 *
 * <p>Before any replay, the files are checked against the {@link Manifest}: a listed segment
 * that is missing, or a segment with records that the manifest cannot account for, is
 * {@link CorruptLogException} naming the file; so is a missing manifest beside segments written
 * by a build that keeps one. A directory of an older build (no manifest, no flagged segment)
 * opens, and gets its manifest.
 *
 * <p>Each record is applied by the {@link RecordApplier}; a set record whose expiry has come by
 * the engine's clock removes its key (it stays gone after a restart without a tombstone).
 *
 * <p>Also cleaned up here: a last segment whose header was never written (a crash while
 * creating it, or reusing a retired segment's file, whose start is blanked first: see
 * {@link FreeSegments}), retired segments' files kept for reuse, unsealed compaction output (a crash during compaction; its records are
 * duplicates of records still in the inputs), and compaction inputs that a crash left
 * undeleted after the manifest had retired them.
 */
final class LogRecovery {

    private static final Logger LOG = LoggerFactory.getLogger(LogRecovery.class);

    private final Path dir;
    private final long segmentBytes;
    private final boolean sync;
    private final SegmentTable segments;
    private final RecordApplier applier;
    private final Clock clock;

    LogRecovery(Path dir, long segmentBytes, boolean sync, SegmentTable segments, RecordApplier applier, Clock clock) {
        this.dir = dir;
        this.segmentBytes = segmentBytes;
        this.sync = sync;
        this.segments = segments;
        this.applier = applier;
        this.clock = clock;
    }

    private record Found(long id, Path file, SegmentHeader.Parsed header) {
    }

    /** Replays every segment and leaves an active segment ready for appends. */
    void recover() {
        List<Found> found = readHeaders();
        Segment last = null;
        for (int i = 0; i < found.size(); i++) {
            Found f = found.get(i);
            Segment segment = Segment.open(f.file(), f.id(), f.header(), segmentBytes, segments.io());
            segments.add(segment);
            if (f.header().sealed()) {
                replaySealed(segment);
            } else {
                long end = replayUnsealed(segment);
                segment.recoverTail(end);
                if (i < found.size() - 1) {
                    // Only the newest segment is ever left unsealed by a crash; seal any other.
                    LOG.warn("sealing segment {} found unsealed before the newest one", f.file());
                    segment.seal(sync);
                }
            }
            last = segment;
        }
        // Listed before any new segment exists, so a crash while creating one (the first one of
        // a new store, say) leaves a segment that is newer than the manifest, never one without it.
        segments.recordFileSet();
        if (last != null && !last.sealed() && last.kind() == SegmentHeader.KIND_LOG) {
            segments.activate(last);
        } else {
            segments.createActive();
            segments.recordFileSet();
        }
    }

    private List<Found> readHeaders() {
        if (SegmentFiles.deleteTemporaryFiles(dir) > 0) {
            LOG.info("removed segment files whose creation was interrupted in {}", dir);
        }
        // Retired segments' files kept for reuse hold nothing of the store any more.
        SegmentFiles.deleteFreeFiles(dir);
        Optional<Manifest> manifest = Manifest.read(dir);
        segments.loaded(manifest.orElse(null));
        List<Long> ids = SegmentFiles.list(dir);
        manifest.ifPresent(m -> checkListedPresent(m, ids));
        List<Found> found = new ArrayList<>();
        boolean flagged = false;
        for (int i = 0; i < ids.size(); i++) {
            long id = ids.get(i);
            Path file = SegmentFiles.path(dir, id);
            if (manifest.isPresent() && !accountedFor(manifest.get(), id, file)) {
                continue;
            }
            byte[] header = Segment.readHeader(file);
            if (header == null || SegmentHeader.isBlank(header)) {
                // Creation renames a complete header into place, and the first force makes it
                // durable before any later segment's: a missing header means a power loss before
                // this file was ever synced (SyncPolicy.NEVER, or the newest segment).
                if (hasRecords(file)) {
                    throw new CorruptLogException("segment header missing but records present", file, 0);
                }
                LOG.warn("removing segment {}: its header never reached the disk", file);
                delete(file);
                continue;
            }
            SegmentHeader.Parsed parsed = SegmentHeader.parse(header, file);
            flagged |= parsed.manifestKept();
            if (parsed.segmentId() != id) {
                throw new CorruptLogException("segment id " + parsed.segmentId()
                        + " in the header does not match the file name", file, SegmentHeader.SEGMENT_ID_OFFSET);
            }
            if (parsed.kind() == SegmentHeader.KIND_COMPACTION && !parsed.sealed()) {
                LOG.info("discarding unfinished compaction output {}", file);
                delete(file);
                continue;
            }
            found.add(new Found(id, file, parsed));
        }
        if (manifest.isEmpty() && flagged) {
            throw new CorruptLogException("the manifest is missing, but the segments were written by a store that keeps one",
                    SegmentFiles.manifestPath(dir), 0);
        }
        if (manifest.isEmpty() && !ids.isEmpty()) {
            LOG.info("{} was written by an older build: listing its {} segments in a new manifest", dir, ids.size());
        }
        return found;
    }

    /** Every segment the manifest lists must be there. */
    private void checkListedPresent(Manifest manifest, List<Long> ids) {
        Set<Long> present = new HashSet<>(ids);
        Path firstMissing = null;
        int missing = 0;
        for (long id : manifest.live()) {
            if (!present.contains(id)) {
                missing++;
                if (firstMissing == null) {
                    firstMissing = SegmentFiles.path(dir, id);
                }
            }
        }
        if (firstMissing != null) {
            throw new CorruptLogException("segment listed in the manifest is missing (" + missing + " of "
                    + manifest.live().length + " listed segments are missing)", firstMissing, 0);
        }
    }

    /**
     * True if the manifest accounts for segment {@code id} and it should be replayed; false if it
     * was a leftover, now deleted.
     *
     * @throws CorruptLogException if it holds records the manifest cannot account for
     */
    private boolean accountedFor(Manifest manifest, long id, Path file) {
        if (manifest.isObsolete(id)) {
            LOG.info("deleting segment {}: compaction had replaced it", file);
            delete(file);
            return false;
        }
        if (manifest.isLive(id) || manifest.isCompactionOutput(id) || id >= manifest.nextId()) {
            return true;
        }
        if (hasRecords(file)) {
            throw new CorruptLogException("segment is not in the manifest (this store did not write it,"
                    + " or it was restored from another copy)", file, 0);
        }
        LOG.warn("removing empty segment {} that the manifest does not list", file);
        delete(file);
        return false;
    }

    private void replaySealed(Segment segment) {
        RecordScanner scanner = new RecordScanner(segment, segment.writePosition());
        while (true) {
            RecordScanner.Step step = scanner.next();
            if (step == RecordScanner.Step.END) {
                return;
            }
            if (step != RecordScanner.Step.RECORD) {
                throw new CorruptLogException("invalid record in sealed segment", segment.file(), scanner.offset());
            }
            apply(segment, scanner);
        }
    }

    /** Replays the valid prefix of an unsealed segment; returns where it ends. */
    private long replayUnsealed(Segment segment) {
        // Past the records the file may be a hole: scan it with file reads, not the mapping.
        RecordScanner scanner = new RecordScanner(segment, segment.capacity(), true);
        while (true) {
            switch (scanner.next()) {
                case RECORD -> {
                    // First: applying a batch reads its own records (a hash collision checks keys there).
                    segment.markRecovered(scanner.offset() + scanner.length());
                    apply(segment, scanner);
                }
                case END, BLANK -> {
                    return scanner.offset();
                }
                case INVALID -> {
                    long offset = scanner.offset();
                    int announced = scanner.announcedLength();
                    if (announced > 0 && scanner.validRecordAt(offset + announced)) {
                        throw new CorruptLogException("damaged record followed by valid records",
                                segment.file(), offset);
                    }
                    LOG.warn("cutting off a torn or damaged tail: file={} offset={}{}", segment.file(), offset,
                            segment.checksumSalt() != 0 ? " (or the earlier contents of a reused file)" : "");
                    return offset;
                }
                default -> throw new IllegalStateException();
            }
        }
    }

    /** Applies the record the scanner is on (each record of a batch in turn); an expired set removes its key. */
    private void apply(Segment segment, RecordScanner scanner) {
        applier.apply(scanner.buffer(), scanner.bufferOffset(), scanner.length(), segment, scanner.offset(), clock);
    }

    /** True if the data region of a file with no header starts with anything but zeros. */
    private static boolean hasRecords(Path file) {
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.READ)) {
            java.nio.ByteBuffer first = java.nio.ByteBuffer.allocate(RecordDescriptor.HEADER_LENGTH);
            channel.read(first, SegmentHeader.LENGTH);
            for (int i = 0; i < first.position(); i++) {
                if (first.get(i) != 0) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            throw new StorageException("cannot read segment " + file + ": " + e.getMessage(), e);
        }
    }

    private void delete(Path file) {
        try {
            segments.io().delete(file);
        } catch (IOException e) {
            throw new StorageException("cannot delete " + file + ": " + e.getMessage(), e);
        }
    }
}
