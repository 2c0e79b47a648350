package io.kvs.core.log;

import io.kvs.core.CorruptLogException;
import io.kvs.core.DirectoryLockedException;
import io.kvs.core.KvStoreOptions;
import io.kvs.core.KvsException;
import io.kvs.core.SyncPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The explicit salvage path: keeps every record that verifies and reports exactly what it dropped. */
class RepairTest {

    private static final KvStoreOptions SMALL = KvStoreOptions.defaults()
            .withSegmentBytes(KvStoreOptions.SEGMENT_BYTES_MIN)
            .withCompactionThresholdBytes(Long.MAX_VALUE)
            .withSyncPolicy(SyncPolicy.NEVER);
    private static final int RECORD = RecordDescriptor.recordLength(5, 40);

    @TempDir
    Path dir;

    private void writeRecords(int count) {
        try (KvStore store = KvStore.open(dir, SMALL)) {
            for (int i = 0; i < count; i++) {
                store.set(key(i), value(i));
            }
        }
    }

    private static String key(int i) {
        return String.format("key%02d", i);
    }

    private static String value(int i) {
        return String.format("%040d", i);
    }

    private RepairReport repair(List<String> progress) {
        return KvStore.repair(dir, progress::add);
    }

    @Test
    void flippedByteInSealedSegmentIsDroppedAndReportedAndEverythingElseKept() throws IOException {
        writeRecords(200);
        Path sealed = SegmentFiles.path(dir, SegmentFiles.list(dir).get(0));
        long damaged = SegmentHeader.LENGTH + 3L * RECORD;
        flip(sealed, damaged + RecordDescriptor.HEADER_LENGTH + 7);
        assertThrows(CorruptLogException.class, () -> KvStore.open(dir, SMALL));

        List<String> progress = new ArrayList<>();
        RepairReport report = repair(progress);

        assertEquals(1, report.damage().size(), report.damage().toString());
        RepairReport.Damage region = report.damage().get(0);
        assertEquals(sealed, region.file());
        assertEquals(damaged, region.fromOffset());
        assertEquals(damaged + RECORD, region.toOffset());
        assertEquals(1, region.headers());
        assertEquals(key(2), region.keyBefore());
        assertEquals(key(4), region.keyAfter());
        assertEquals(199, report.recordsKept());
        assertEquals(199, report.keys());
        assertTrue(report.missingSegments().isEmpty());
        assertTrue(progress.stream().anyMatch(line -> line.startsWith("scanning")), progress.toString());
        assertTrue(Files.exists(report.backup().resolve(sealed.getFileName())), "the original is kept");

        try (KvStore store = KvStore.open(dir, SMALL)) {
            assertEquals(199, store.size());
            assertEquals(Optional.empty(), store.get(key(3)));
            for (int i = 0; i < 200; i++) {
                if (i != 3) {
                    assertEquals(Optional.of(value(i)), store.get(key(i)), key(i));
                }
            }
        }
    }

    @Test
    void missingSegmentIsReportedAndTheRestKept() throws IOException {
        writeRecords(200);
        List<Long> ids = SegmentFiles.list(dir);
        Path gone = SegmentFiles.path(dir, ids.get(1));
        Files.delete(gone);
        assertThrows(CorruptLogException.class, () -> KvStore.open(dir, SMALL));

        RepairReport report = repair(new ArrayList<>());

        assertEquals(List.of(gone), report.missingSegments());
        assertTrue(report.damage().isEmpty(), report.damage().toString());
        try (KvStore store = KvStore.open(dir, SMALL)) {
            assertEquals(report.keys(), store.size());
            assertTrue(store.size() > 0 && store.size() < 200, "size " + store.size());
            assertEquals(Optional.of(value(0)), store.get(key(0)));
            assertEquals(Optional.of(value(199)), store.get(key(199)));
        }
    }

    @Test
    void repairOfAHealthyStoreChangesNothing() {
        writeRecords(50);
        try (KvStore store = KvStore.open(dir, SMALL)) {
            store.remove(key(7));
        }
        RepairReport report = repair(new ArrayList<>());
        assertTrue(report.clean(), report.toString());
        try (KvStore store = KvStore.open(dir, SMALL)) {
            assertEquals(49, store.size());
            assertEquals(Optional.empty(), store.get(key(7)));
            assertEquals(Optional.of(value(8)), store.get(key(8)));
        }
    }

    @Test
    void repairRefusesAStoreThatIsOpen() {
        writeRecords(5);
        try (KvStore store = KvStore.open(dir, SMALL)) {
            assertThrows(DirectoryLockedException.class, () -> repair(new ArrayList<>()));
            assertEquals(5, store.size());
        }
    }

    @Test
    void repairRefusesADirectoryWithoutKvsData() {
        KvsException e = assertThrows(KvsException.class, () -> repair(new ArrayList<>()));
        assertTrue(e.getMessage().contains("nothing to repair"), e.getMessage());
    }

    private static void flip(Path file, long offset) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        bytes[(int) offset] ^= 0x40;
        Files.write(file, bytes);
    }
}
