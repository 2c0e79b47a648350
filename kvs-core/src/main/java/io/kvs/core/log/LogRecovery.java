package io.kvs.core.log;

import io.kvs.core.CorruptLogException;
import io.kvs.core.StorageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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
 * <p>Also cleaned up here: a last segment whose header was never written (a crash while
 * creating it) and unsealed compaction output (a crash during compaction; its records are
 * duplicates of records still in the inputs).
 */
final class LogRecovery {

    private static final Logger LOG = LoggerFactory.getLogger(LogRecovery.class);

    private final Path dir;
    private final long segmentBytes;
    private final boolean sync;
    private final SegmentTable segments;
    private final KeyDir keyDir;
    private final LogReader reader;
    private final KeyHash keyHash;
    private final LogStats stats;

    LogRecovery(Path dir, long segmentBytes, boolean sync, SegmentTable segments, KeyDir keyDir,
                LogReader reader, KeyHash keyHash, LogStats stats) {
        this.dir = dir;
        this.segmentBytes = segmentBytes;
        this.sync = sync;
        this.segments = segments;
        this.keyDir = keyDir;
        this.reader = reader;
        this.keyHash = keyHash;
        this.stats = stats;
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
        if (last != null && !last.sealed() && last.kind() == SegmentHeader.KIND_LOG) {
            segments.activate(last);
        } else {
            segments.createActive();
        }
    }

    private List<Found> readHeaders() {
        if (SegmentFiles.deleteTemporaryFiles(dir) > 0) {
            LOG.info("removed segment files whose creation was interrupted in {}", dir);
        }
        List<Long> ids = SegmentFiles.list(dir);
        List<Found> found = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            long id = ids.get(i);
            Path file = SegmentFiles.path(dir, id);
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
        return found;
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
        RecordScanner scanner = new RecordScanner(segment, segment.capacity());
        while (true) {
            switch (scanner.next()) {
                case RECORD -> {
                    apply(segment, scanner);
                    segment.markRecovered(scanner.offset() + scanner.length());
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
                    LOG.warn("cutting off a torn or damaged tail: file={} offset={}", segment.file(), offset);
                    return offset;
                }
                default -> throw new IllegalStateException();
            }
        }
    }

    private void apply(Segment segment, RecordScanner scanner) {
        byte[] buffer = scanner.buffer();
        int at = scanner.bufferOffset();
        int length = scanner.length();
        int keyOffset = at + RecordDescriptor.HEADER_LENGTH;
        int keyLength = RecordDescriptor.keyLength(buffer, at);
        long hash = keyHash.hash(buffer, keyOffset, keyLength);
        long previous;
        if (RecordDescriptor.type(buffer, at) == RecordDescriptor.TYPE_SET) {
            previous = keyDir.put(buffer, keyOffset, keyLength, hash, Location.of(segment.id(), scanner.offset()));
            stats.addLive(length);
        } else {
            previous = keyDir.remove(buffer, keyOffset, keyLength, hash);
            stats.addStale(segment, length);
        }
        if (previous != Location.NONE) {
            stats.liveBecameStale(reader.segment(previous), reader.recordLength(previous));
        }
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
