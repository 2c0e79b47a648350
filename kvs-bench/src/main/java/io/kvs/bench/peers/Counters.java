package io.kvs.bench.peers;

import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.concurrent.ConcurrentMap;

/**
 * The read-modify-write and the scan the new-path benchmarks run, written once: a decimal
 * counter in UTF-8 bytes, incremented by each store's own atomic primitive, and counting what an
 * iterator visits.
 */
public final class Counters {

    private Counters() {
    }

    /** The counter after {@code current} (null: absent, counts as 0), as UTF-8 decimal bytes. */
    public static byte[] next(byte[] current) {
        return Long.toString(current == null ? 1 : value(current) + 1).getBytes(StandardCharsets.UTF_8);
    }

    /** The count held by UTF-8 decimal bytes. */
    public static long value(byte[] bytes) {
        return Long.parseLong(new String(bytes, StandardCharsets.UTF_8));
    }

    /** Increments the counter under {@code key} with {@code ConcurrentMap.compute}; returns the new count. */
    static long increment(ConcurrentMap<byte[], byte[]> map, String key) {
        return value(map.compute(key.getBytes(StandardCharsets.UTF_8), (k, current) -> next(current)));
    }

    /** How many elements {@code it} has left. */
    static long count(Iterator<?> it) {
        long count = 0;
        for (; it.hasNext(); it.next()) {
            count++;
        }
        return count;
    }
}
