package io.kvs.net.resp;

import io.kvs.net.LoopbackServer;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.ExpireArgs;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.SetArgs;
import io.lettuce.core.TransactionResult;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.protocol.ProtocolVersion;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Lettuce, a Redis client no one here wrote, against kvs-server in RESP2 and RESP3. */
class LettuceTest {

    private static final String PASSWORD = "correct horse battery staple";

    private static LoopbackServer server;
    private static LoopbackServer secured;

    @BeforeAll
    static void start() {
        server = LoopbackServer.start();
        secured = LoopbackServer.withPassword(PASSWORD);
    }

    @AfterAll
    static void stop() {
        server.close();
        secured.close();
    }

    private static RedisClient client(LoopbackServer fixture, ProtocolVersion protocol, String password) {
        RedisURI.Builder uri = RedisURI.builder().withHost(fixture.host()).withPort(fixture.port())
                .withTimeout(Duration.ofSeconds(10));
        if (password != null) {
            uri.withPassword(password.toCharArray());
        }
        RedisClient client = RedisClient.create(uri.build());
        client.setOptions(ClientOptions.builder().protocolVersion(protocol).build());
        return client;
    }

    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    void commandsBehaveAsInRedis(ProtocolVersion protocol) {
        RedisClient client = client(server, protocol, null);
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            RedisCommands<String, String> redis = connection.sync();
            redis.flushdb();
            assertEquals("PONG", redis.ping());
            assertEquals("OK", redis.set("k", "v"));
            assertEquals("v", redis.get("k"));
            assertNull(redis.get("missing"));
            assertNull(redis.set("k", "w", SetArgs.Builder.nx()));
            assertEquals("v", redis.setGet("k", "w"));
            assertEquals(1, redis.incr("n"));
            assertEquals(-4, redis.decrby("n", 5));
            assertEquals(10.5, redis.incrbyfloat("f", 10.5), 0);
            assertEquals("OK", redis.mset(java.util.Map.of("a", "1", "b", "2")));
            assertEquals(2, redis.exists("a", "b"));
            assertTrue(redis.expire("a", 100));
            assertTrue(redis.ttl("a") > 0);
            assertTrue(!redis.expire("a", 50, ExpireArgs.Builder.gt()));
            assertEquals("string", redis.type("a"));
            assertEquals(2, redis.del("a", "b"));
            RedisCommandExecutionException unknown = assertThrows(RedisCommandExecutionException.class,
                    () -> redis.dispatch(io.lettuce.core.protocol.CommandType.LPUSH,
                            new io.lettuce.core.output.IntegerOutput<>(io.lettuce.core.codec.StringCodec.UTF8),
                            new io.lettuce.core.protocol.CommandArgs<>(io.lettuce.core.codec.StringCodec.UTF8).addKey("list").addValue("x")));
            assertTrue(unknown.getMessage().startsWith("ERR unknown command 'LPUSH', with args beginning with: 'list' 'x'"),
                    unknown.getMessage());
            assertTrue(redis.info("server").contains("redis_version:"));
            assertEquals(redis.clientId(), redis.clientId());
        } finally {
            client.shutdown();
        }
    }

    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    void asyncPipelineOfTenThousandAndScanOverThem(ProtocolVersion protocol) throws Exception {
        RedisClient client = client(server, protocol, null);
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            connection.sync().flushdb();
            RedisAsyncCommands<String, String> async = connection.async();
            connection.setAutoFlushCommands(false);
            List<RedisFuture<String>> sets = new ArrayList<>();
            for (int i = 0; i < 10_000; i++) {
                sets.add(async.set("key:" + i, Integer.toString(i)));
            }
            connection.flushCommands();
            assertTrue(LettuceFutures.awaitAll(30, TimeUnit.SECONDS, sets.toArray(new RedisFuture<?>[0])));
            connection.setAutoFlushCommands(true);
            RedisCommands<String, String> redis = connection.sync();
            assertEquals(10_000, redis.dbsize());
            Set<String> seen = new HashSet<>();
            ScanCursor cursor = ScanCursor.INITIAL;
            do {
                KeyScanCursor<String> page = redis.scan(cursor, ScanArgs.Builder.limit(1000).match("key:*"));
                seen.addAll(page.getKeys());
                cursor = page;
            } while (!cursor.isFinished());
            assertEquals(10_000, seen.size());
        } finally {
            client.shutdown();
        }
    }

    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    void transactionsAndBinaryValues(ProtocolVersion protocol) {
        RedisClient client = client(server, protocol, null);
        try (StatefulRedisConnection<byte[], byte[]> connection = client.connect(ByteArrayCodec.INSTANCE)) {
            RedisCommands<byte[], byte[]> redis = connection.sync();
            byte[] key = {(byte) 0xfe, 0, '\n'};
            byte[] value = {(byte) 0x80, 0, (byte) 0xff, '\r', '\n'};
            assertEquals("OK", redis.multi());
            redis.set(key, value);
            redis.append(key, new byte[] {1});
            redis.get(key);
            TransactionResult result = redis.exec();
            assertEquals(3, result.size());
            assertEquals(6L, (Long) result.get(1));
            byte[] expected = {(byte) 0x80, 0, (byte) 0xff, '\r', '\n', 1};
            assertArrayEquals(expected, (byte[]) result.get(2));
            assertArrayEquals(expected, redis.get(key));
        } finally {
            client.shutdown();
        }
    }

    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    void authenticatesWithThePassword(ProtocolVersion protocol) {
        RedisClient client = client(secured, protocol, PASSWORD);
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            assertEquals("OK", connection.sync().set("secured", "yes"));
            assertEquals("yes", connection.sync().get("secured"));
        } finally {
            client.shutdown();
        }
        RedisClient wrong = client(secured, protocol, "not the password");
        try {
            assertThrows(io.lettuce.core.RedisConnectionException.class, wrong::connect);
        } finally {
            wrong.shutdown();
        }
    }
}
