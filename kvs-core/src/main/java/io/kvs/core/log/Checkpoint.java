package io.kvs.core.log;

import io.kvs.core.CheckpointDirectory;
import io.kvs.core.StorageException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;

/**
 * Writes a point-in-time copy of a {@link KvStore} into a new directory while the store stays
 * open. The file set is captured under the writer lock (with compaction held off, so no input
 * is deleted meanwhile): every segment and, for each, the end of its records then. A sealed
 * segment never changes again and is hard-linked (copied where links are impossible); an
 * unsealed one (the active segment, or one whose seal is still being written) is copied up to
 * its captured end, under a fresh unsealed header, and sealed by the copy's first open. The copy
 * gets its own manifest, and is built and published by {@link CheckpointDirectory}.
 */
final class Checkpoint {

    private static final int COPY_CHUNK_BYTES = 1024 * 1024;

    /** One segment of the captured file set and the end of its records at capture time. */
    record Captured(Segment segment, long end, boolean sealed) {
    }

    private Checkpoint() {
    }

    /**
     * Writes {@code captured} (in id order) as a store in {@code target}; the caller keeps the
     * segments mapped throughout (a {@link ReadEpochs} read) and compaction held off.
     */
    static void write(Path storeDir, List<Captured> captured, Path target) {
        CheckpointDirectory.build(storeDir, KvStore.ENGINE_NAME, target, staging -> {
            try {
                long[] ids = new long[captured.size()];
                long nextId = 1;
                for (int i = 0; i < captured.size(); i++) {
                    Captured c = captured.get(i);
                    ids[i] = c.segment().id();
                    nextId = Math.max(nextId, ids[i] + 1);
                    Path file = SegmentFiles.path(staging, ids[i]);
                    if (c.sealed()) {
                        linkOrCopy(c.segment().file(), file);
                    } else {
                        copyPrefix(c.segment(), c.end(), file);
                    }
                }
                Arrays.sort(ids);
                LogIo.REAL.replaceFile(SegmentFiles.manifestTemporaryPath(staging), SegmentFiles.manifestPath(staging),
                        Manifest.of(nextId, ids).encode(), true);
            } catch (IOException e) {
                throw new StorageException("cannot write checkpoint " + target + ": " + e.getMessage(), e);
            }
        });
    }

    /** Hard-links a sealed segment (it never changes again), or copies it where links are impossible. */
    private static void linkOrCopy(Path source, Path file) throws IOException {
        try {
            Files.createLink(file, source);
        } catch (UnsupportedOperationException | FileSystemException e) {
            Files.copy(source, file);
        }
        // A seal written just before the capture may not be forced yet (the link shares its pages).
        CheckpointDirectory.forceFile(file);
    }

    /** Copies the header (as unsealed) and the records below {@code end} of a segment still written to. */
    private static void copyPrefix(Segment segment, long end, Path file) throws IOException {
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer header = ByteBuffer.wrap(SegmentHeader.encode(segment.id(), segment.kind(), segment.version()));
            while (header.hasRemaining()) {
                out.write(header);
            }
            byte[] chunk = new byte[COPY_CHUNK_BYTES];
            for (long at = SegmentHeader.LENGTH; at < end; ) {
                int length = (int) Math.min(chunk.length, end - at);
                segment.read(at, chunk, 0, length);
                ByteBuffer buffer = ByteBuffer.wrap(chunk, 0, length);
                while (buffer.hasRemaining()) {
                    out.write(buffer, at + buffer.position());
                }
                at += length;
            }
            out.force(true);
        }
    }

}
