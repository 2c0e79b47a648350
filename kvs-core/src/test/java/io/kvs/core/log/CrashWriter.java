package io.kvs.core.log;

import io.kvs.core.KeyNotFoundException;
import io.kvs.core.KvStoreOptions;
import io.kvs.core.SyncPolicy;

import java.io.BufferedOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A child process for {@link CrashRecoveryTest}: opens the store in {@code args[0]} and applies
 * the operations generated from seed {@code args[1]}, printing {@code ack N} on stdout after
 * operation N returns, until it is killed.
 */
public final class CrashWriter {

    /** Small segments and an eager threshold, so kills often land in a roll or a compaction. */
    static final KvStoreOptions OPTIONS = KvStoreOptions.defaults()
            .withSegmentBytes(64 * 1024)
            .withCompactionThresholdBytes(32 * 1024)
            .withSyncPolicy(SyncPolicy.NEVER);
    static final int KEYS = 200;

    /** One operation: a set when value is non-null, else a remove. */
    record Op(String key, String value) {
    }

    private CrashWriter() {
    }

    /** The operations for {@code seed}, the same in parent and child. */
    static List<Op> ops(long seed, int count) {
        Random random = new Random(seed);
        List<Op> ops = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String key = "k" + random.nextInt(KEYS);
            if (random.nextInt(5) == 0) {
                ops.add(new Op(key, null));
            } else {
                ops.add(new Op(key, "v" + seed + "-" + i + "-" + "x".repeat(random.nextInt(200))));
            }
        }
        return ops;
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
                if (op.value() != null) {
                    store.set(op.key(), op.value());
                } else {
                    try {
                        store.remove(op.key());
                    } catch (KeyNotFoundException e) {
                        // Removing a missing key changes nothing; still an acknowledged operation.
                    }
                }
                out.println("ack " + i++);
                out.flush();
            }
            seed = seed * 31 + 1;
        }
    }
}
