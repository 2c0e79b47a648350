package io.kvs.core;

import io.kvs.core.log.KvStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The library examples of README.md, "Bytes, expiry, transactions, scans, checkpoints, stats", as written there. */
class ReadmeExamplesTest {

    @TempDir
    Path work;

    @Test
    void readmeExamplesRunAsWritten() {
        Path backup = work.resolve("backup-2026-12-01");
        try (KvsEngine store = KvStore.open(work.resolve("data"))) {
            byte[] key = "user:42".getBytes(StandardCharsets.UTF_8);

            store.set(key, new byte[] {1, 2, 3});
            Optional<byte[]> raw = store.get(key);
            assertArrayEquals(new byte[] {1, 2, 3}, raw.orElseThrow());

            long inOneMinute = store.clock().millis() + 60_000;
            store.set(key, "session".getBytes(StandardCharsets.UTF_8), inOneMinute);
            Ttl ttl = store.ttl(key);
            assertTrue(ttl.hasExpiry());
            store.expire(key, Entry.NO_EXPIRY);
            assertEquals(Ttl.noExpiry(), store.ttl(key));

            store.write(new WriteBatch()
                    .set("a".getBytes(StandardCharsets.UTF_8), "1".getBytes(StandardCharsets.UTF_8))
                    .delete("b".getBytes(StandardCharsets.UTF_8)));

            store.update("hits".getBytes(StandardCharsets.UTF_8), current -> Entry.of(Long.toString(
                    current == null ? 1 : Long.parseLong(new String(current.value(), StandardCharsets.UTF_8)) + 1)
                    .getBytes(StandardCharsets.UTF_8)));
            assertEquals(Optional.of("1"), store.get("hits"));

            List<byte[]> wanted = List.of(key, "a".getBytes(StandardCharsets.UTF_8));
            store.prefetch(wanted);
            List<Optional<byte[]>> values = wanted.stream().map(store::get).toList();
            assertArrayEquals("session".getBytes(StandardCharsets.UTF_8), values.get(0).orElseThrow());
            assertArrayEquals("1".getBytes(StandardCharsets.UTF_8), values.get(1).orElseThrow());

            boolean created = store.atomically(tx -> {
                if (tx.get("x".getBytes(StandardCharsets.UTF_8)).isPresent()) {
                    return false;
                }
                tx.set("x".getBytes(StandardCharsets.UTF_8), "1".getBytes(StandardCharsets.UTF_8));
                tx.set("y".getBytes(StandardCharsets.UTF_8), "2".getBytes(StandardCharsets.UTF_8));
                tx.setMetadata("applied=17".getBytes(StandardCharsets.UTF_8));
                return true;
            });
            assertTrue(created);

            long cursor = ScanPage.DONE;
            int seen = 0;
            do {
                ScanPage page = store.scan(cursor, 100, "user:".getBytes(StandardCharsets.UTF_8));
                seen += page.keys().size();
                cursor = page.cursor();
            } while (cursor != ScanPage.DONE);
            assertEquals(1, seen);
            int[] all = {0};
            store.forEach(new byte[0], (k, v) -> all[0]++);
            assertEquals(5, all[0]);

            store.checkpoint(backup);

            EngineStats stats = store.stats();
            assertEquals(5, stats.keys());
        }
        try (KvsEngine copy = KvStore.open(backup)) {
            assertArrayEquals("applied=17".getBytes(StandardCharsets.UTF_8), copy.metadata().orElseThrow());
        }
    }
}
