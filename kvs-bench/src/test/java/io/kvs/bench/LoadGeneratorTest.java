package io.kvs.bench;

import io.kvs.core.KvStoreOptions;
import io.kvs.core.KvsEngine;
import io.kvs.core.SyncPolicy;
import io.kvs.core.log.KvStore;
import io.kvs.net.KvsServer;
import io.kvs.net.ServerOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The network load generator against a real kvs server, with and without shared threads. */
class LoadGeneratorTest {

    private static final int KEYS = 20;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "threads={0}")
    @ValueSource(ints = {0, 1, 3})
    void everyConnectionSendsItsShareAndEveryReplyIsRead(int threads) throws Exception {
        try (KvsEngine engine = KvStore.open(dir, KvStoreOptions.defaults().withSyncPolicy(SyncPolicy.NEVER));
             KvsServer server = KvsServer.start(engine, new InetSocketAddress("127.0.0.1", 0), ServerOptions.defaults())) {
            LoadGenerator.Options options = options(server, threads);
            LoadGenerator.Report report = LoadGenerator.run(options);

            assertEquals(700, report.requests());
            assertEquals(threads == 0 ? 7 : threads, report.threads());
            // No prefill and only sets: the keys hold the value only if the sets reached the server
            // (700 random picks among 20 keys miss one with a probability below 1e-14).
            for (int i = 0; i < KEYS; i++) {
                assertEquals(Optional.of("v".repeat(options.valueBytes)), engine.get("key" + i), "key" + i);
            }
        }
    }

    @Test
    void rejectsNegativeThreadCount() throws Exception {
        try (KvsEngine engine = KvStore.open(dir, KvStoreOptions.defaults().withSyncPolicy(SyncPolicy.NEVER));
             KvsServer server = KvsServer.start(engine, new InetSocketAddress("127.0.0.1", 0), ServerOptions.defaults())) {
            assertThrows(IllegalArgumentException.class, () -> LoadGenerator.run(options(server, -1)));
        }
    }

    private static LoadGenerator.Options options(KvsServer server, int threads) {
        LoadGenerator.Options options = new LoadGenerator.Options();
        options.address = "127.0.0.1:" + server.address().getPort();
        options.clients = 7;
        options.threads = threads;
        options.requests = 700;
        options.pipeline = 4;
        options.keyspace = KEYS;
        options.valueBytes = 10;
        options.mix = "1:0";
        options.noPrefill = true;
        options.quiet = true;
        return options;
    }
}
