package io.kvs.core.log;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The active segment's next chunk of disk space is allocated ahead of the writer, off its thread. */
class SpaceAllocatorTest {

    private static final int RECORD_BYTES = 200;

    @TempDir
    Path dir;

    /** Records the thread of every allocation. */
    private static class AllocationThreads implements LogIo {
        final List<String> threads = new CopyOnWriteArrayList<>();

        @Override
        public int allocate(FileChannel channel, Path file, ByteBuffer zeros, long position) throws IOException {
            threads.add(Thread.currentThread().getName());
            return LogIo.REAL.allocate(channel, file, zeros, position);
        }
    }

    @Test
    void writerFindsEveryChunkAllocatedByTheAllocatorThread() throws InterruptedException {
        AllocationThreads io = new AllocationThreads();
        Segment segment = Segment.create(dir, 1, SegmentHeader.KIND_LOG, 8 * Segment.ALLOCATION_CHUNK_BYTES, io, () -> { });
        int atCreation = io.threads.size();
        try (SpaceAllocator allocator = new SpaceAllocator("test")) {
            byte[] record = new byte[RECORD_BYTES];
            int perStep = (int) (Segment.ALLOCATION_CHUNK_BYTES / 4 / RECORD_BYTES);
            while (segment.writePosition() < 6 * Segment.ALLOCATION_CHUNK_BYTES) {
                for (int i = 0; i < perStep; i++) {
                    segment.append(record, 0, record.length, 0);
                    allocator.afterAppend(segment);
                }
                // Less than a chunk is written between two waits: the claimed chunk always comes in time.
                awaitNoAllocationPending(segment);
            }
        } finally {
            segment.close();
        }
        List<String> ahead = io.threads.subList(atCreation, io.threads.size());
        assertFalse(ahead.isEmpty(), "chunks were allocated after the first");
        for (String thread : ahead) {
            assertEquals("kvs-allocate-test", thread, "every chunk after the first is allocated ahead");
        }
    }

    @Test
    void recordsWrittenWhileTheAllocatorTouchesNewPagesReadBackIntact() {
        Segment segment = Segment.create(dir, 1, SegmentHeader.KIND_LOG, 16 * Segment.ALLOCATION_CHUNK_BYTES, LogIo.REAL,
                () -> { });
        try (SpaceAllocator allocator = new SpaceAllocator("test")) {
            int count = (int) (15 * Segment.ALLOCATION_CHUNK_BYTES / RECORD_BYTES);
            long[] offsets = new long[count];
            for (int i = 0; i < count; i++) {
                offsets[i] = segment.append(record(i), 0, RECORD_BYTES, 0);
                allocator.afterAppend(segment);
            }
            byte[] read = new byte[RECORD_BYTES];
            for (int i = 0; i < count; i++) {
                segment.read(offsets[i], read, 0, RECORD_BYTES);
                // Stored with its first four bytes (a record's checksum) salted.
                LittleEndian.putInt(read, 0, LittleEndian.getInt(read, 0) ^ segment.checksumSalt());
                assertArrayEquals(record(i), read, "record " + i + " at offset " + offsets[i]);
            }
            assertTrue(segment.allocatedEnd() >= segment.writePosition());
        } finally {
            segment.close();
        }
    }

    @Test
    void writerAllocatesItselfOnceTheAllocatorIsClosed() {
        AllocationThreads io = new AllocationThreads();
        Segment segment = Segment.create(dir, 1, SegmentHeader.KIND_LOG, 4 * Segment.ALLOCATION_CHUNK_BYTES, io, () -> { });
        int atCreation = io.threads.size();
        SpaceAllocator allocator = new SpaceAllocator("test");
        allocator.close();
        try {
            byte[] record = new byte[RECORD_BYTES];
            while (segment.writePosition() < 3 * Segment.ALLOCATION_CHUNK_BYTES) {
                segment.append(record, 0, record.length, 0);
                allocator.afterAppend(segment);
            }
            assertFalse(segment.allocationAheadPending(), "a claim the closed allocator refused is given up");
        } finally {
            segment.close();
        }
        List<String> later = io.threads.subList(atCreation, io.threads.size());
        assertFalse(later.isEmpty());
        for (String thread : later) {
            assertEquals(Thread.currentThread().getName(), thread, "the writer allocated the space itself");
        }
    }

    @Test
    void failedAllocationAheadIsNotRetriedOnEveryWrite() throws InterruptedException {
        AllocationThreads io = new AllocationThreads() {
            @Override
            public int allocate(FileChannel channel, Path file, ByteBuffer zeros, long position) throws IOException {
                if (Thread.currentThread().getName().startsWith("kvs-allocate-")) {
                    threads.add(Thread.currentThread().getName());
                    throw new IOException("No space left on device (injected)");
                }
                return super.allocate(channel, file, zeros, position);
            }
        };
        int chunks = 4;
        Segment segment = Segment.create(dir, 1, SegmentHeader.KIND_LOG, chunks * Segment.ALLOCATION_CHUNK_BYTES, io,
                () -> { });
        try (SpaceAllocator allocator = new SpaceAllocator("test")) {
            byte[] record = new byte[RECORD_BYTES];
            while (segment.writePosition() < (chunks - 1) * Segment.ALLOCATION_CHUNK_BYTES) {
                segment.append(record, 0, record.length, 0);
                allocator.afterAppend(segment);
                // Each claimed attempt finishes (and fails) before the next write.
                awaitNoAllocationPending(segment);
            }
        } finally {
            segment.close();
        }
        long attemptsAhead = io.threads.stream().filter(thread -> thread.startsWith("kvs-allocate-")).count();
        assertTrue(attemptsAhead >= 1, "an allocation ahead was tried");
        assertTrue(attemptsAhead <= chunks, "after a failure the allocator waits for the writer's own allocation; "
                + attemptsAhead + " attempts for " + chunks + " chunks");
    }

    /** Bytes that differ from record to record and are never all zero. */
    private static byte[] record(int i) {
        byte[] record = new byte[RECORD_BYTES];
        for (int b = 0; b < RECORD_BYTES; b++) {
            record[b] = (byte) (i * 31 + b + 1);
        }
        record[0] = 1;
        return record;
    }

    private static void awaitNoAllocationPending(Segment segment) throws InterruptedException {
        long deadline = System.nanoTime() + Latches.DEADLINE_SECONDS * 1_000_000_000L;
        while (segment.allocationAheadPending()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the allocation ahead did not finish");
            }
            Thread.sleep(0, 100_000);
        }
    }
}
