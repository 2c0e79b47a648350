package io.kvs.core;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;

/**
 * The workload of the hardening issue's reproductions: sets and removes (one in four, of a key
 * that exists) over a key space, with values of varying length, from a fixed seed. Returns
 * what the engine must hold afterwards. For tests of other modules too (kvs-core's test-jar).
 */
public final class MixedWorkload {

    private MixedWorkload() {
    }

    /** Runs {@code operations} sets and removes over {@code keys} keys against {@code engine}; returns the live keys. */
    public static Map<String, String> run(KvsEngine engine, int operations, int keys, long seed) {
        Map<String, String> live = new HashMap<>();
        Random random = new Random(seed);
        for (int i = 0; i < operations; i++) {
            String key = "key" + random.nextInt(keys);
            if (random.nextInt(4) == 0 && live.containsKey(key)) {
                engine.remove(key);
                live.remove(key);
            } else {
                String value = "value-" + i + "-" + "x".repeat(random.nextInt(100));
                engine.set(key, value);
                live.put(key, value);
            }
        }
        return live;
    }
}
