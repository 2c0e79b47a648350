package io.kvs.core.log;

import io.kvs.core.KvStoreOptions;
import io.kvs.core.SyncPolicy;
import io.kvs.core.TestDirs;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The torn-tail matrix: the tail of the last segment is damaged at every byte offset of its last
 * few records, four ways. Open must succeed and return exactly the records that end before the
 * damage; the next write must land after them and survive a reopen.
 */
class TornTailTest {

    private static final KvStoreOptions OPTIONS = KvStoreOptions.defaults()
            .withSegmentBytes(64 * 1024)
            .withCompactionThresholdBytes(Long.MAX_VALUE)
            .withSyncPolicy(SyncPolicy.NEVER);
    /** Records at the end of the log whose every byte offset is damaged. */
    private static final int DAMAGED_RECORDS = 4;

    enum Damage {
        /** The file ends at the offset. */
        TRUNCATE,
        /** Zeros from the offset to the end of the written data. */
        ZEROS,
        /** Random bytes from the offset to past the end of the written data. */
        RANDOM,
        /** Every bit flipped from the offset to the end of the written data. */
        FLIPPED
    }

    private record Op(String key, String value, long end) {
    }

    @TempDir
    Path work;
    private Path pristine;
    private final List<Op> ops = new ArrayList<>();
    private long dataEnd;

    @BeforeEach
    void writeLog() {
        pristine = work.resolve("pristine");
        long end = SegmentHeader.LENGTH;
        try (KvStore store = KvStore.open(pristine, OPTIONS)) {
            Random random = new Random(7);
            for (int i = 0; i < 12; i++) {
                String key = "key" + random.nextInt(6);
                String value = i % 5 == 4 ? null : "value-" + i + "-ж🔑".repeat(random.nextInt(3));
                if (value == null && store.get(key).isEmpty()) {
                    value = "again-" + i;
                }
                byte[] keyBytes = key.getBytes(java.nio.charset.StandardCharsets.UTF_8);
                if (value == null) {
                    store.remove(key);
                    end += RecordDescriptor.recordLength(keyBytes.length, 0);
                } else {
                    store.set(key, value);
                    end += RecordDescriptor.recordLength(keyBytes.length,
                            value.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
                }
                ops.add(new Op(key, value, end));
            }
        }
        dataEnd = end;
    }

    @ParameterizedTest
    @EnumSource(Damage.class)
    void openReturnsExactlyTheRecordsBeforeTheDamage(Damage damage) throws IOException {
        long firstDamaged = ops.get(ops.size() - DAMAGED_RECORDS - 1).end();
        int cases = 0;
        for (long offset = firstDamaged; offset <= dataEnd; offset++) {
            Path dir = work.resolve(damage + "-" + offset);
            TestDirs.copy(pristine, dir);
            damage(SegmentFiles.path(dir, 1), offset, damage);
            Map<String, String> expected = stateBefore(damage == Damage.TRUNCATE || offset < dataEnd ? offset : Long.MAX_VALUE);
            try (KvStore store = KvStore.open(dir, OPTIONS)) {
                assertState(expected, store, damage + " at " + offset);
                store.set("after", "damage");
            }
            expected.put("after", "damage");
            try (KvStore store = KvStore.open(dir, OPTIONS)) {
                assertState(expected, store, damage + " at " + offset + ", after a new write and reopen");
            }
            TestDirs.delete(dir);
            cases++;
        }
        assertEquals(dataEnd - firstDamaged + 1, cases);
    }

    private Map<String, String> stateBefore(long offset) {
        Map<String, String> state = new HashMap<>();
        for (Op op : ops) {
            if (op.end() > offset) {
                break;
            }
            if (op.value() == null) {
                state.remove(op.key());
            } else {
                state.put(op.key(), op.value());
            }
        }
        return state;
    }

    private static void assertState(Map<String, String> expected, KvStore store, String what) {
        for (int i = 0; i < 6; i++) {
            String key = "key" + i;
            assertEquals(Optional.ofNullable(expected.get(key)), store.get(key), what + ": " + key);
        }
        assertEquals(expected.size(), store.size(), what + ": size");
    }

    private void damage(Path file, long offset, Damage damage) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            switch (damage) {
                case TRUNCATE -> channel.truncate(offset);
                case ZEROS -> write(channel, offset, new byte[(int) (dataEnd - offset)]);
                case RANDOM -> {
                    byte[] noise = new byte[(int) (dataEnd - offset) + 64];
                    new Random(offset).nextBytes(noise);
                    write(channel, offset, noise);
                }
                case FLIPPED -> {
                    ByteBuffer tail = ByteBuffer.allocate((int) (dataEnd - offset));
                    channel.read(tail, offset);
                    byte[] bytes = tail.array();
                    for (int i = 0; i < bytes.length; i++) {
                        bytes[i] = (byte) ~bytes[i];
                    }
                    write(channel, offset, bytes);
                }
                default -> throw new IllegalArgumentException(damage.toString());
            }
        }
    }

    private static void write(FileChannel channel, long offset, byte[] bytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
            channel.write(buffer, offset + buffer.position());
        }
    }
}
