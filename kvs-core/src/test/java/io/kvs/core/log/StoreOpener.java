package io.kvs.core.log;

import io.kvs.core.JvmFlagsMissingException;
import io.kvs.core.KvStoreOptions;
import io.kvs.core.SyncPolicy;

import java.nio.file.Path;
import java.util.Optional;

/**
 * A child process for {@link JvmAccessTest}: opens a KvStore on {@code args[0]}, then sets, gets,
 * rolls segments, compacts, closes and reopens it, and prints {@code ok}. If the JVM lacks
 * flags it prints {@code missing} and the missing flags, one per line, then the message, and
 * exits {@value #MISSING_FLAGS_EXIT}.
 */
public final class StoreOpener {

    static final int MISSING_FLAGS_EXIT = 3;

    private StoreOpener() {
    }

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        KvStoreOptions options = KvStoreOptions.defaults().withSegmentBytes(64 * 1024).withSyncPolicy(SyncPolicy.ALWAYS);
        try (KvStore store = KvStore.open(dir, options)) {
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < 1000; i++) {
                    store.set("key" + i, "value" + round + "-" + i);
                }
            }
            store.remove("key7");
            store.compact();
            check(store.get("key5").equals(Optional.of("value2-5")), "get after compaction");
        } catch (JvmFlagsMissingException e) {
            System.out.println("missing");
            e.missingFlags().forEach(System.out::println);
            System.out.println(e.getMessage());
            System.out.flush();
            System.exit(MISSING_FLAGS_EXIT);
        }
        try (KvStore store = KvStore.open(dir, options)) {
            check(store.get("key999").equals(Optional.of("value2-999")), "get after reopen");
            check(store.get("key7").isEmpty(), "removed key after reopen");
        }
        System.out.println("ok");
    }

    private static void check(boolean condition, String what) {
        if (!condition) {
            throw new AssertionError(what);
        }
    }
}
