package io.kvs.core.log;

import io.kvs.core.Entry;
import io.kvs.core.KeyNotFoundException;
import io.kvs.core.KvStoreOptions;
import io.kvs.core.SyncPolicy;
import io.kvs.core.WriteBatch;

import java.io.BufferedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A child process for {@link CrashRecoveryTest}: opens the store in {@code args[0]} and applies
 * the operations generated from seed {@code args[1]} (sets, some with an expiry, removes, and
 * atomic batches of them), printing {@code ack N} on stdout after operation N returns, until it
 * is killed.
 */
public final class CrashWriter {

    /** Small segments and an eager threshold, so kills often land in a roll or a compaction. */
    static final KvStoreOptions OPTIONS = KvStoreOptions.defaults()
            .withSegmentBytes(64 * 1024)
            .withCompactionThresholdBytes(32 * 1024)
            .withSyncPolicy(SyncPolicy.NEVER);
    static final int KEYS = 200;

    /**
     * Far in the future (2100-01-01): the expiry of the operations that set one, so that replay
     * of set-expiring records is exercised without keys expiring during a test.
     */
    static final long FAR_EXPIRY_MILLIS = 4_102_444_800_000L;

    /**
     * One operation: a set when value is non-null (with {@link #FAR_EXPIRY_MILLIS} if
     * {@code expiring}), else a remove; or, when {@code batch} is non-null, that list of sets and
     * removes written as one {@link WriteBatch}, which a crash must leave whole or absent.
     */
    record Op(String key, String value, boolean expiring, List<Op> batch) {
        Op(String key, String value) {
            this(key, value, false, null);
        }
    }

    private CrashWriter() {
    }

    /** The operations for {@code seed}, the same in parent and child. */
    static List<Op> ops(long seed, int count) {
        Random random = new Random(seed);
        List<Op> ops = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            if (random.nextInt(8) == 0) {
                List<Op> batch = new ArrayList<>();
                int size = 2 + random.nextInt(7);
                for (int j = 0; j < size; j++) {
                    batch.add(single(random, seed, i * 16 + j));
                }
                ops.add(new Op(null, null, false, batch));
            } else {
                ops.add(single(random, seed, i));
            }
        }
        return ops;
    }

    private static Op single(Random random, long seed, int i) {
        String key = "k" + random.nextInt(KEYS);
        if (random.nextInt(5) == 0) {
            return new Op(key, null);
        }
        return new Op(key, "v" + seed + "-" + i + "-" + "x".repeat(random.nextInt(200)), random.nextInt(10) == 0, null);
    }

    private static void apply(KvStore store, Op op) {
        if (op.batch() != null) {
            WriteBatch batch = new WriteBatch();
            for (Op write : op.batch()) {
                byte[] key = write.key().getBytes(StandardCharsets.UTF_8);
                if (write.value() == null) {
                    batch.delete(key);
                } else {
                    batch.set(key, write.value().getBytes(StandardCharsets.UTF_8),
                            write.expiring() ? FAR_EXPIRY_MILLIS : Entry.NO_EXPIRY);
                }
            }
            store.write(batch);
        } else if (op.value() == null) {
            try {
                store.remove(op.key());
            } catch (KeyNotFoundException e) {
                // Removing a missing key changes nothing; still an acknowledged operation.
            }
        } else if (op.expiring()) {
            store.set(op.key().getBytes(StandardCharsets.UTF_8), op.value().getBytes(StandardCharsets.UTF_8),
                    FAR_EXPIRY_MILLIS);
        } else {
            store.set(op.key(), op.value());
        }
    }

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        long seed = Long.parseLong(args[1]);
        PrintStream out = new PrintStream(new BufferedOutputStream(System.out, 64), false);
        KvStore store = KvStore.open(dir, OPTIONS);
        out.println("open");
        out.flush();
        int i = 0;
        while (true) {
            for (Op op : ops(seed, 10_000)) {
                apply(store, op);
                out.println("ack " + i++);
                out.flush();
            }
            seed = seed * 31 + 1;
        }
    }
}
