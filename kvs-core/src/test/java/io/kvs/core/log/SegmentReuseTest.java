package io.kvs.core.log;

import io.kvs.core.KvStoreOptions;
import io.kvs.core.SyncPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Retired segments' files reused as new segments ({@link FreeSegments}): the records of a file's
 * earlier life never come back, a checkpoint's linked files are never written again, kept files
 * are bounded and do not outlive the store, and a reused file needs no writes of zeros.
 *
 * <p>Every record here has the same length, so a reused file's earlier records sit exactly where
 * the next new record would: without the checksum salt, recovery would replay them.
 */
class SegmentReuseTest {

    private static final KvStoreOptions OPTIONS = KvStoreOptions.defaults()
            .withSegmentBytes(64 * 1024)
            .withCompactionThresholdBytes(Long.MAX_VALUE)
            .withSyncPolicy(SyncPolicy.NEVER);
    /** Keys written in each pass: more than one segment holds (about 2,360 of these records). */
    private static final int KEYS = 3000;

    @TempDir
    Path work;

    private static String key(int i) {
        return String.format(Locale.ROOT, "k%04d", i);
    }

    /** A value of the same length in every pass: {@code old-0001}, {@code new-0001}. */
    private static String value(String pass, int i) {
        return String.format(Locale.ROOT, "%s-%04d", pass, i);
    }

    private static void writeAll(KvStore store, String pass) {
        for (int i = 0; i < KEYS; i++) {
            store.set(key(i), value(pass, i));
        }
    }

    private static void assertAll(KvStore store, String pass) {
        for (int i = 0; i < KEYS; i++) {
            assertEquals(Optional.of(value(pass, i)), store.get(key(i)), key(i));
        }
        assertEquals(KEYS, store.size());
    }

    private static Object inode(Path file) throws IOException {
        return Files.getAttribute(file, "unix:ino");
    }

    private static Path newestSegment(Path dir) {
        List<Long> ids = SegmentFiles.list(dir);
        return SegmentFiles.path(dir, ids.get(ids.size() - 1));
    }

    private static List<Path> filesEndingWith(Path dir, String suffix) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(suffix)).toList();
        }
    }

    private static long bytesOfFilesEndingWith(Path dir, String suffix) throws IOException {
        long bytes = 0;
        for (Path file : filesEndingWith(dir, suffix)) {
            bytes += Files.size(file);
        }
        return bytes;
    }

    /** Copies the store's files (as a process crash leaves them: everything written is in the page cache). */
    private static void copyDirectory(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(file)) {
                    Files.copy(file, to.resolve(file.getFileName()));
                }
            }
        }
    }

    @Test
    void theRecordsOfAReusedFilesEarlierLifeAreNeverReplayed() throws IOException {
        Path dir = work.resolve("store");
        byte[] firstLife;
        Object firstInode;
        try (KvStore store = KvStore.open(dir, OPTIONS)) {
            writeAll(store, "old");
            Path first = SegmentFiles.path(dir, 1);
            firstLife = Files.readAllBytes(first);
            firstInode = inode(first);
            store.compact();
            assertEquals(2, store.freeSegmentFiles(), "both inputs kept for reuse");
            writeAll(store, "new");
            Path reused = newestSegment(dir);
            assertEquals(firstInode, inode(reused), "the roll reused the first segment's file");

            Path crashed = work.resolve("crashed");
            copyDirectory(dir, crashed);
            // A power loss that kept the new records but not the blank header after them: the
            // device holds the file's earlier life from there on (its first page was blanked
            // when it was kept, and the new records reach past it).
            Path image = crashed.resolve(reused.getFileName());
            long end = endOfRecords(image);
            assertTrue(end > FreeSegments.BLANKED_BYTES, "the new records reach past the blanked page: " + end);
            try (FileChannel channel = FileChannel.open(image, StandardOpenOption.WRITE)) {
                channel.write(ByteBuffer.wrap(firstLife, (int) end, firstLife.length - (int) end), end);
            }
            assertEquals(RecordDescriptor.recordLength(5, 8), RecordDescriptor.plausibleLength(firstLife, (int) end),
                    "an earlier record starts exactly where the new ones end");
            try (KvStore reopened = KvStore.open(crashed, OPTIONS)) {
                assertAll(reopened, "new");
            }
        }
        try (KvStore reopened = KvStore.open(dir, OPTIONS)) {
            assertAll(reopened, "new");
        }
    }

    /** The offset of the first blank record header in a segment file whose records are all of one length. */
    private static long endOfRecords(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        int length = RecordDescriptor.recordLength(5, 8);
        for (int at = SegmentHeader.LENGTH; at + RecordDescriptor.HEADER_LENGTH <= bytes.length; at += length) {
            boolean blank = true;
            for (int i = 0; i < RecordDescriptor.HEADER_LENGTH && blank; i++) {
                blank = bytes[at + i] == 0;
            }
            if (blank) {
                return at;
            }
        }
        throw new AssertionError("no end of records in " + file);
    }

    @Test
    void aReuseWhoseNewHeaderAPowerLossUndidOpensWithoutIt() throws IOException {
        Path dir = work.resolve("store");
        try (KvStore store = KvStore.open(dir, OPTIONS)) {
            writeAll(store, "old");
            store.compact();
            Path crashed = work.resolve("crashed");
            copyDirectory(dir, crashed);
            // The rename that reuses a kept file reached the disk, its new header did not.
            Path kept = filesEndingWith(crashed, SegmentFiles.FREE_SUFFIX).get(0);
            long nextId = SegmentFiles.list(crashed).get(SegmentFiles.list(crashed).size() - 1) + 1;
            Files.move(kept, SegmentFiles.path(crashed, nextId));
            try (KvStore reopened = KvStore.open(crashed, OPTIONS)) {
                assertAll(reopened, "old");
            }
            assertFalse(Files.exists(SegmentFiles.path(crashed, nextId)), "the blank segment is deleted");
        }
    }

    @Test
    void repairOfAHealthyStoreWithAReusedFileFindsNoDamage() throws IOException {
        Path dir = work.resolve("store");
        Object firstInode;
        try (KvStore store = KvStore.open(dir, OPTIONS)) {
            writeAll(store, "old");
            firstInode = inode(SegmentFiles.path(dir, 1));
            store.compact();
            writeAll(store, "new");
            assertEquals(firstInode, inode(newestSegment(dir)), "the active segment is a reused file");
        }
        RepairReport report = KvStore.repair(dir, line -> { });
        assertTrue(report.clean(), report.toString());
        try (KvStore repaired = KvStore.open(dir, OPTIONS)) {
            assertAll(repaired, "new");
        }
    }

    @Test
    void aSegmentACheckpointSharesIsNeverReused() throws IOException {
        Path dir = work.resolve("store");
        Path checkpoint = work.resolve("checkpoint");
        try (KvStore store = KvStore.open(dir, OPTIONS)) {
            writeAll(store, "old");
            store.checkpoint(checkpoint);
            Object linked = inode(SegmentFiles.path(dir, 1));
            assertEquals(linked, inode(SegmentFiles.path(checkpoint, 1)), "the sealed segment is hard-linked");
            store.compact();
            assertEquals(1, store.freeSegmentFiles(), "only the segment the checkpoint copied is kept");
            for (int pass = 0; pass < 3; pass++) {
                writeAll(store, "new");
            }
            try (Stream<Path> files = Files.list(dir)) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    assertFalse(linked.equals(inode(file)), file + " is the checkpoint's file");
                }
            }
        }
        try (KvStore fromCheckpoint = KvStore.open(checkpoint, OPTIONS)) {
            assertAll(fromCheckpoint, "old");
        }
    }

    @Test
    void atMostTwoFilesAreKeptAndNoneOutlivesTheStore() throws IOException {
        Path dir = work.resolve("store");
        try (KvStore store = KvStore.open(dir, OPTIONS)) {
            for (int pass = 0; pass < 3; pass++) {
                writeAll(store, "p" + pass + "x");
            }
            assertTrue(SegmentFiles.list(dir).size() >= 4, "segments before the compaction: " + SegmentFiles.list(dir));
            store.compact();
            assertEquals(FreeSegments.MAX_FILES, store.freeSegmentFiles());
            assertEquals(FreeSegments.MAX_FILES, filesEndingWith(dir, SegmentFiles.FREE_SUFFIX).size());
            assertEquals(bytesOfFilesEndingWith(dir, SegmentFiles.SUFFIX) + bytesOfFilesEndingWith(dir, SegmentFiles.FREE_SUFFIX),
                    store.stats().diskBytes(), "the kept files count as the store's disk bytes");
        }
        assertEquals(List.of(), filesEndingWith(dir, SegmentFiles.FREE_SUFFIX), "close deletes the kept files");
        // A crash leaves kept files behind: the next open deletes them.
        Files.write(SegmentFiles.freePath(dir, 7), new byte[64 * 1024]);
        try (KvStore reopened = KvStore.open(dir, OPTIONS)) {
            assertAll(reopened, "p2x");
            assertEquals(List.of(), filesEndingWith(dir, SegmentFiles.FREE_SUFFIX));
        }
    }

    @Test
    void aReusedFileNeedsNoWritesOfZeros() throws IOException {
        Map<String, Integer> allocations = new ConcurrentHashMap<>();
        LogIo counting = new LogIo() {
            @Override
            public int allocate(FileChannel channel, Path file, ByteBuffer zeros, long position) throws IOException {
                allocations.merge(file.getFileName().toString(), 1, Integer::sum);
                return LogIo.super.allocate(channel, file, zeros, position);
            }
        };
        Path dir = work.resolve("store");
        try (KvStore store = KvStore.open(dir, OPTIONS, counting)) {
            writeAll(store, "old");
            store.compact();
            allocations.clear();
            writeAll(store, "new");
            Path reused = newestSegment(dir);
            assertEquals(1, store.freeSegmentFiles(), "one kept file taken by the roll");
            assertEquals(null, allocations.get(reused.getFileName().toString()), "zeros written to " + reused);
            assertAll(store, "new");
        }
    }
}
