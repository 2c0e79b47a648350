package io.kvs.bench.peers;

import io.kvs.bench.BenchStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The peer names, the JVM flag list, and LMDB's batched load across a transaction boundary. */
class PeerTest {

    @TempDir
    Path dir;

    @Test
    void findsEveryPeerByItsName() {
        for (Peer peer : Peer.values()) {
            assertEquals(Optional.of(peer), Peer.named(peer.peerName()));
        }
        assertEquals(Optional.empty(), Peer.named("kvs"));
    }

    @Test
    void flagListOpensWhatLmdbAndChronicleMapNeed() {
        List<String> flags = Peer.jvmFlags();
        assertTrue(flags.contains("--add-opens=java.base/java.nio=ALL-UNNAMED"), flags.toString());
        assertTrue(flags.contains("--add-opens=java.base/java.lang=ALL-UNNAMED"), flags.toString());
        assertFalse(flags.stream().anyMatch(String::isBlank), flags.toString());
    }

    @Test
    void lmdbLoadCommitsEveryBatchIncludingAPartialLastOne() {
        String[] keys = new String[LmdbStore.LOAD_BATCH_KEYS + 3];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = "key" + i;
        }
        try (BenchStore store = Peer.LMDB.open(dir)) {
            store.load(keys, "value");
        }
        try (BenchStore reopened = Peer.LMDB.open(dir)) {
            assertEquals(Optional.of("value"), reopened.get("key0"));
            assertEquals(Optional.of("value"), reopened.get("key" + LmdbStore.LOAD_BATCH_KEYS));
            assertEquals(Optional.of("value"), reopened.get(keys[keys.length - 1]));
            assertEquals(Optional.empty(), reopened.get("key" + keys.length));
        }
    }
}
