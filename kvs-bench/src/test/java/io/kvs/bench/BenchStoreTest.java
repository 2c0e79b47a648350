package io.kvs.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every store a benchmark can name (the kvs engines and every peer) opened through
 * {@link Engines#open}: a broken peer, a missing JVM flag or a native library that does not load
 * fails here rather than in the middle of a JMH run.
 */
class BenchStoreTest {

    private static final String UNICODE_KEY = "ключ-キー-🔑";
    private static final String UNICODE_VALUE = "välue ✓ 値";

    @TempDir
    Path dir;

    static List<String> names() {
        return Engines.names();
    }

    @Test
    void namesEveryKvsEngineAndEveryPeer() {
        assertEquals(List.of("kvs", "xodus", "chronicle-map", "lmdb", "rocksdb", "mapdb", "h2"), Engines.names());
    }

    @Test
    void rejectsUnknownNameListingTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Engines.open("sled", dir));
        assertTrue(e.getMessage().contains("sled") && e.getMessage().contains("rocksdb"), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("names")
    void setsAndGetsUnicodeKeysAndEmptyValues(String name) {
        try (BenchStore store = Engines.open(name, dir)) {
            store.set("key1", "value");
            store.set(UNICODE_KEY, UNICODE_VALUE);
            store.set("empty", "");

            assertEquals(Optional.of("value"), store.get("key1"));
            assertEquals(Optional.of(UNICODE_VALUE), store.get(UNICODE_KEY));
            assertEquals(Optional.of(""), store.get("empty"));
            assertEquals(Optional.empty(), store.get("missing"));

            store.set("key1", "value-2");
            assertEquals(Optional.of("value-2"), store.get("key1"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("names")
    void keepsValuesAcrossCloseAndReopen(String name) {
        BenchStore store = Engines.open(name, dir);
        store.set(UNICODE_KEY, UNICODE_VALUE);
        store.set("empty", "");
        store.close();
        store.close();

        try (BenchStore reopened = Engines.open(name, dir)) {
            assertEquals(Optional.of(UNICODE_VALUE), reopened.get(UNICODE_KEY));
            assertEquals(Optional.of(""), reopened.get("empty"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("names")
    void loadSetsEveryKey(String name) {
        String[] keys = BenchKeys.names(0, 1000);
        try (BenchStore store = Engines.open(name, dir)) {
            store.load(keys, "value");
            for (String key : keys) {
                assertEquals(Optional.of("value"), store.get(key), key);
            }
        }
    }

    /** The stores each new-path benchmark runs on: they must support its operation. */
    @Test
    void everyStoreABenchmarkNamesSupportsItsOperation() throws Exception {
        for (String name : List.of("kvs", "xodus", "lmdb", "rocksdb", "h2")) {
            try (BenchStore store = Engines.open(name, java.nio.file.Files.createDirectories(dir.resolve("batch-" + name)))) {
                store.setAtomically(BenchKeys.names(0, 100), "v");
                assertEquals(java.util.Optional.of("v"), store.get("key99"), name);
            }
        }
        for (String name : List.of("kvs", "xodus", "chronicle-map", "lmdb", "mapdb", "h2")) {
            try (BenchStore store = Engines.open(name, java.nio.file.Files.createDirectories(dir.resolve("increment-" + name)))) {
                assertEquals(1, store.increment("n"), name);
                assertEquals(2, store.increment("n"), name);
                assertEquals(java.util.Optional.of("2"), store.get("n"), name);
            }
        }
        for (String name : Engines.names()) {
            try (BenchStore store = Engines.open(name, java.nio.file.Files.createDirectories(dir.resolve("scan-" + name)))) {
                store.load(BenchKeys.names(0, 2500), "v");
                assertEquals(2500, store.scanAll(), name);
            }
        }
        for (String name : List.of("kvs", "xodus")) {
            try (BenchStore store = Engines.open(name, java.nio.file.Files.createDirectories(dir.resolve("ttl-" + name)))) {
                store.setWithTtl("k", "v", 3_600_000);
                assertEquals(java.util.Optional.of("v"), store.get("k"), name);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("names")
    void servesGetsFromSeveralThreads(String name) throws Exception {
        String[] keys = BenchKeys.names(0, 512);
        try (BenchStore store = Engines.open(name, dir)) {
            for (String key : keys) {
                store.set(key, "value-of-" + key);
            }
            ExecutorService threads = Executors.newFixedThreadPool(2);
            try {
                List<Future<Integer>> readers = new ArrayList<>();
                for (int t = 0; t < 2; t++) {
                    readers.add(threads.submit(() -> {
                        int matched = 0;
                        for (int round = 0; round < 20; round++) {
                            for (String key : keys) {
                                if (store.get(key).equals(Optional.of("value-of-" + key))) {
                                    matched++;
                                }
                            }
                        }
                        return matched;
                    }));
                }
                for (Future<Integer> reader : readers) {
                    assertEquals(20 * keys.length, reader.get());
                }
            } finally {
                threads.shutdownNow();
            }
        }
    }
}
