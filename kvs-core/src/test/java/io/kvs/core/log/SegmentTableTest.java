package io.kvs.core.log;

import io.kvs.core.DataDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Starting a compaction with an active segment made ahead, outside the writer lock. */
class SegmentTableTest {

    private static final long SEGMENT_BYTES = 64 * 1024;

    @TempDir
    Path dir;

    @Test
    void preparedSegmentBecomesActiveAboveTheReservedOutputIds() {
        try (DataDirectory directory = DataDirectory.claim(dir, KvStore.ENGINE_NAME)) {
            SegmentTable segments = new SegmentTable(directory, SEGMENT_BYTES, false, LogIo.REAL);
            Segment first = segments.createActive();
            SegmentTable.Roll roll = segments.roll(10);
            segments.finishRoll(roll);

            SegmentTable.PreparedCompaction prepared = segments.prepareCompaction();
            assertNull(segments.get(prepared.next().id()), "not visible to readers before the switch");
            SegmentTable.CompactionPlan plan = segments.startCompaction(prepared);

            assertSame(prepared.next(), plan.roll().next());
            assertSame(prepared.next(), segments.active());
            assertSame(prepared.next(), segments.get(prepared.next().id()));
            assertTrue(plan.inputs().contains(first) && plan.inputs().contains(roll.next()));
            assertTrue(plan.firstOutputId() > roll.next().id());
            assertTrue(plan.lastOutputId() >= plan.firstOutputId() + plan.inputs().size());
            assertTrue(prepared.next().id() > plan.lastOutputId());
            segments.finishRoll(plan.roll());
            segments.closeAll();
        }
    }

    @Test
    void rollBetweenPrepareAndStartDiscardsThePreparedSegment() {
        try (DataDirectory directory = DataDirectory.claim(dir, KvStore.ENGINE_NAME)) {
            SegmentTable segments = new SegmentTable(directory, SEGMENT_BYTES, false, LogIo.REAL);
            segments.createActive();

            SegmentTable.PreparedCompaction prepared = segments.prepareCompaction();
            SegmentTable.Roll roll = segments.roll(10);
            segments.finishRoll(roll);
            SegmentTable.CompactionPlan plan = segments.startCompaction(prepared);

            assertFalse(Files.exists(prepared.next().file()), "the stale prepared segment is deleted");
            assertTrue(roll.next().id() > prepared.next().id(), "the roll took a later id");
            assertTrue(plan.inputs().contains(roll.next()));
            assertTrue(plan.firstOutputId() > roll.next().id());
            assertTrue(plan.roll().next().id() > plan.lastOutputId());
            assertSame(plan.roll().next(), segments.active());
            segments.finishRoll(plan.roll());
            segments.closeAll();
        }
    }
}
