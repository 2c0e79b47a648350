package io.kvs.net.resp;

import io.kvs.net.LoopbackServer;
import io.kvs.net.ServerOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.Response;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.args.ExpiryOption;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.GetExParams;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.resps.ScanResult;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Jedis, a Redis client no one here wrote, against kvs-server in RESP2 and RESP3. */
class JedisTest {

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

    private static Jedis connect(RedisProtocol protocol) {
        Jedis jedis = new Jedis(new HostAndPort(server.host(), server.port()),
                DefaultJedisClientConfig.builder().protocol(protocol).timeoutMillis(10_000).build());
        jedis.flushDB();
        return jedis;
    }

    @ParameterizedTest
    @EnumSource(value = RedisProtocol.class, names = {"RESP2", "RESP3"})
    @SuppressWarnings("deprecation") // SETNX, GETSET and SETEX are deprecated in Redis too, and must still work
    void stringCommandsBehaveAsInRedis(RedisProtocol protocol) {
        try (Jedis jedis = connect(protocol)) {
            assertEquals("PONG", jedis.ping());
            assertEquals("OK", jedis.set("greeting", "hello"));
            assertEquals("hello", jedis.get("greeting"));
            assertNull(jedis.get("missing"));
            assertNull(jedis.set("greeting", "again", SetParams.setParams().nx()));
            assertEquals("hello", jedis.setGet("greeting", "world"));
            assertEquals(1, jedis.setnx("fresh", "1"));
            assertEquals(0, jedis.setnx("fresh", "2"));
            assertEquals("world", jedis.getSet("greeting", "hi"));
            assertEquals("hi", jedis.getDel("greeting"));
            assertFalse(jedis.exists("greeting"));
            assertEquals(5, jedis.append("text", "Hello"));
            assertEquals(11, jedis.append("text", " World"));
            assertEquals(11, jedis.strlen("text"));
            assertEquals("World", jedis.getrange("text", -5, -1));
            assertEquals(11, jedis.setrange("text", 6, "Redis"));
            assertEquals("Hello Redis", jedis.get("text"));
            assertEquals(1, jedis.incr("counter"));
            assertEquals(11, jedis.incrBy("counter", 10));
            assertEquals(10, jedis.decr("counter"));
            assertEquals(0, jedis.decrBy("counter", 10));
            assertEquals(10.6, jedis.incrByFloat("float", 10.6), 0);
            assertEquals("10.6", jedis.get("float"));
            JedisDataException notInteger = assertThrows(JedisDataException.class, () -> jedis.incr("text"));
            assertEquals("ERR value is not an integer or out of range", notInteger.getMessage());
            assertEquals("OK", jedis.mset("a", "1", "b", "2"));
            assertEquals(List.of("1", "2"), jedis.mget("a", "b"));
            List<String> withMissing = jedis.mget("a", "nope");
            assertEquals("1", withMissing.get(0));
            assertNull(withMissing.get(1));
            assertEquals(0, jedis.msetnx("a", "x", "c", "3"));
            assertEquals(1, jedis.msetnx("c", "3", "d", "4"));
            assertEquals("string", jedis.type("a"));
            assertEquals("none", jedis.type("nope"));
        }
    }

    @ParameterizedTest
    @EnumSource(value = RedisProtocol.class, names = {"RESP2", "RESP3"})
    @SuppressWarnings("deprecation") // SETNX, GETSET and SETEX are deprecated in Redis too, and must still work
    void expiryCommandsBehaveAsInRedis(RedisProtocol protocol) {
        try (Jedis jedis = connect(protocol)) {
            jedis.set("k", "v", SetParams.setParams().ex(100));
            long ttl = jedis.ttl("k");
            assertTrue(ttl > 95 && ttl <= 100, "ttl " + ttl);
            assertTrue(jedis.pttl("k") > 95_000);
            assertEquals(-2, jedis.ttl("missing"));
            jedis.set("forever", "v");
            assertEquals(-1, jedis.ttl("forever"));
            assertEquals(0, jedis.expire("forever", 100, ExpiryOption.XX));
            assertEquals(1, jedis.expire("forever", 100, ExpiryOption.NX));
            assertEquals(0, jedis.expire("forever", 50, ExpiryOption.GT));
            assertEquals(1, jedis.expire("forever", 50, ExpiryOption.LT));
            assertEquals(1, jedis.persist("forever"));
            assertEquals(0, jedis.persist("forever"));
            assertEquals(1, jedis.pexpire("k", 10_000));
            long at = jedis.pexpireTime("k");
            assertTrue(at > System.currentTimeMillis(), "pexpiretime " + at);
            assertEquals("v", jedis.getEx("k", GetExParams.getExParams().persist()));
            assertEquals(-1, jedis.ttl("k"));
            assertEquals(1, jedis.expire("k", -1));
            assertFalse(jedis.exists("k"));
            jedis.setex("short", 100, "v");
            assertTrue(jedis.ttl("short") > 0);
            JedisDataException invalid = assertThrows(JedisDataException.class, () -> jedis.setex("bad", 0, "v"));
            assertEquals("ERR invalid expire time in 'setex' command", invalid.getMessage());
        }
    }

    @ParameterizedTest
    @EnumSource(value = RedisProtocol.class, names = {"RESP2", "RESP3"})
    void keyCommandsBehaveAsInRedis(RedisProtocol protocol) {
        try (Jedis jedis = connect(protocol)) {
            jedis.mset("k1", "1", "k2", "2", "k3", "3");
            assertEquals(2, jedis.exists("k1", "k2", "nope"));
            assertEquals(2, jedis.del("k1", "k2", "nope"));
            assertEquals(1, jedis.unlink("k3"));
            jedis.set("src", "v");
            jedis.expire("src", 100);
            assertEquals("OK", jedis.rename("src", "dst"));
            assertEquals("v", jedis.get("dst"));
            assertTrue(jedis.ttl("dst") > 0, "rename keeps the expiry");
            JedisDataException noSuchKey = assertThrows(JedisDataException.class, () -> jedis.rename("src", "x"));
            assertEquals("ERR no such key", noSuchKey.getMessage());
            jedis.set("other", "o");
            assertEquals(0, jedis.renamenx("dst", "other"));
            assertEquals(1, jedis.renamenx("dst", "moved"));
            assertEquals(Set.of("moved", "other"), jedis.keys("*"));
            assertEquals(Set.of("moved"), jedis.keys("m?v*"));
            assertEquals(2, jedis.dbSize());
            String random = jedis.randomKey();
            assertTrue(random.equals("moved") || random.equals("other"), random);
            assertEquals("OK", jedis.flushDB());
            assertEquals(0, jedis.dbSize());
            assertNull(jedis.randomKey());
        }
    }

    @ParameterizedTest
    @EnumSource(value = RedisProtocol.class, names = {"RESP2", "RESP3"})
    void scanOverTenThousandKeysReturnsEachOnce(RedisProtocol protocol) {
        try (Jedis jedis = connect(protocol)) {
            Pipeline fill = jedis.pipelined();
            for (int i = 0; i < 10_000; i++) {
                fill.set("scan:" + i, "v");
            }
            fill.sync();
            jedis.set("other", "v");
            Set<String> seen = new HashSet<>();
            List<String> all = new ArrayList<>();
            String cursor = ScanParams.SCAN_POINTER_START;
            do {
                ScanResult<String> page = jedis.scan(cursor, new ScanParams().match("scan:*").count(500));
                all.addAll(page.getResult());
                seen.addAll(page.getResult());
                cursor = page.getCursor();
            } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
            assertEquals(10_000, seen.size());
            assertEquals(10_000, all.size(), "no key twice when nothing changes");
        }
    }

    @ParameterizedTest
    @EnumSource(value = RedisProtocol.class, names = {"RESP2", "RESP3"})
    void pipelineOfTenThousandAnswersInOrder(RedisProtocol protocol) {
        try (Jedis jedis = connect(protocol)) {
            Pipeline pipeline = jedis.pipelined();
            List<Response<Long>> counts = new ArrayList<>();
            for (int i = 0; i < 10_000; i++) {
                counts.add(pipeline.incr("pipelined"));
            }
            pipeline.sync();
            for (int i = 0; i < counts.size(); i++) {
                assertEquals(i + 1, counts.get(i).get());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = RedisProtocol.class, names = {"RESP2", "RESP3"})
    void transactionAppliesItsCommandsTogether(RedisProtocol protocol) {
        try (Jedis jedis = connect(protocol)) {
            Transaction transaction = jedis.multi();
            transaction.set("t", "1");
            transaction.incr("t");
            transaction.get("t");
            List<Object> results = transaction.exec();
            assertEquals(3, results.size());
            assertEquals("OK", results.get(0));
            assertEquals(2L, results.get(1));
            assertEquals("2", results.get(2));
            Transaction discarded = jedis.multi();
            discarded.set("t", "gone");
            discarded.discard();
            assertEquals("2", jedis.get("t"));
        }
    }

    @ParameterizedTest
    @EnumSource(value = RedisProtocol.class, names = {"RESP2", "RESP3"})
    void watchMakesExecACheckAndSet(RedisProtocol protocol) {
        try (Jedis jedis = connect(protocol); Jedis other = connect(protocol)) {
            jedis.set("balance", "10");
            jedis.watch("balance");
            int seen = Integer.parseInt(jedis.get("balance"));
            other.set("balance", "50");
            Transaction lost = jedis.multi();
            lost.set("balance", Integer.toString(seen - 1));
            assertNull(lost.exec(), "EXEC after another client wrote a watched key");
            assertEquals("50", jedis.get("balance"));

            jedis.watch("balance");
            seen = Integer.parseInt(jedis.get("balance"));
            Transaction won = jedis.multi();
            won.set("balance", Integer.toString(seen - 1));
            assertEquals(List.of("OK"), won.exec());
            assertEquals("49", jedis.get("balance"));

            jedis.watch("balance");
            other.set("balance", "0");
            assertEquals("OK", jedis.unwatch());
            Transaction unwatched = jedis.multi();
            unwatched.incr("balance");
            assertEquals(List.of(1L), unwatched.exec());
        }
    }

    /** Four event loops, so that the writes of the clients race on different threads. */
    @Test
    void checkAndSetIncrementsFromFourClientsAtOnceLoseNone() throws Exception {
        int clients = 4;
        int each = 300;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try (LoopbackServer loops = LoopbackServer.start(ServerOptions.defaults().withEventLoops(clients))) {
            try (Jedis setup = new Jedis(new HostAndPort(loops.host(), loops.port()))) {
                setup.set("cas", "0");
            }
            List<Future<Integer>> aborted = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                aborted.add(pool.submit(() -> {
                    int retries = 0;
                    try (Jedis jedis = new Jedis(new HostAndPort(loops.host(), loops.port()),
                            DefaultJedisClientConfig.builder().timeoutMillis(10_000).build())) {
                        for (int i = 0; i < each; i++) {
                            while (true) {
                                jedis.watch("cas");
                                long seen = Long.parseLong(jedis.get("cas"));
                                Transaction transaction = jedis.multi();
                                transaction.set("cas", Long.toString(seen + 1));
                                if (transaction.exec() != null) {
                                    break;
                                }
                                retries++;
                            }
                        }
                    }
                    return retries;
                }));
            }
            for (Future<Integer> f : aborted) {
                f.get(60, TimeUnit.SECONDS);
            }
            try (Jedis check = new Jedis(new HostAndPort(loops.host(), loops.port()))) {
                assertEquals(Long.toString((long) clients * each), check.get("cas"));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @ParameterizedTest
    @EnumSource(value = RedisProtocol.class, names = {"RESP2", "RESP3"})
    void binaryKeysAndValuesRoundTrip(RedisProtocol protocol) {
        try (Jedis jedis = connect(protocol)) {
            byte[] key = {0, (byte) 0xff, '\r', '\n', (byte) 0x80};
            byte[] value = new byte[70_000];
            for (int i = 0; i < value.length; i++) {
                value[i] = (byte) i;
            }
            assertEquals("OK", jedis.set(key, value));
            assertArrayEquals(value, jedis.get(key));
            assertEquals(1, jedis.del(key));
        }
    }

    @Test
    void connectionCommandsAnswerWhatJedisExpects() {
        try (Jedis jedis = connect(RedisProtocol.RESP3)) {
            assertEquals("OK", jedis.clientSetname("tester"));
            assertEquals("tester", jedis.clientGetname());
            long id = jedis.clientId();
            assertTrue(jedis.clientList().contains("id=" + id + " "), jedis.clientList());
            assertTrue(jedis.info().contains("redis_version:7"), "INFO names a Redis version clients accept");
            assertTrue(jedis.info("keyspace").startsWith("# Keyspace"));
            assertEquals("OK", jedis.select(0));
            JedisDataException outOfRange = assertThrows(JedisDataException.class, () -> jedis.select(1));
            assertEquals("ERR DB index is out of range", outOfRange.getMessage());
            assertEquals("hello", jedis.echo("hello"));
            assertEquals(2, jedis.time().size());
        }
    }

    @ParameterizedTest
    @EnumSource(value = RedisProtocol.class, names = {"RESP2", "RESP3"})
    void passwordIsRequiredAndChecked(RedisProtocol protocol) {
        HostAndPort address = new HostAndPort(secured.host(), secured.port());
        // No protocol and no password: Jedis sends no HELLO (which, unauthenticated, is refused as in Redis).
        try (Jedis anonymous = new Jedis(address, DefaultJedisClientConfig.builder().build())) {
            JedisDataException refused = assertThrows(JedisDataException.class, () -> anonymous.get("k"));
            assertEquals("NOAUTH Authentication required.", refused.getMessage());
            JedisDataException wrong = assertThrows(JedisDataException.class, () -> anonymous.auth("guess"));
            assertEquals("WRONGPASS invalid username-password pair or user is disabled.", wrong.getMessage());
            assertEquals("OK", anonymous.auth(PASSWORD));
            assertEquals("OK", anonymous.set("k", "v"));
        }
        try (Jedis authenticated = new Jedis(address, DefaultJedisClientConfig.builder().protocol(protocol)
                .password(PASSWORD).build())) {
            assertEquals("v", authenticated.get("k"));
        }
    }
}
