package io.kvs.net;

import io.kvs.core.KvsEngine;
import io.kvs.net.command.EngineKeys;
import io.kvs.net.command.Proposal;
import io.kvs.net.command.Replication;
import io.kvs.net.command.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A server whose data commands go through a {@link Replication} that answers later, on another
 * thread (as a Raft log does): replies keep the order of the requests, a pipeline is submitted
 * in bursts rather than command by command, and commands that run on the connection (AUTH,
 * HELLO, QUIT, PING inside MULTI) take effect in their place among the data commands.
 */
class ReplicatedDataPathTest {

    private static final int TIMEOUT_MILLIS = 10_000;

    private LoopbackServer server;
    private DelayedReplication replication;

    private void start(boolean failing) {
        server = LoopbackServer.withReplication(ServerOptions.defaults(), engine -> {
            replication = new DelayedReplication(engine, failing);
            return replication;
        });
    }

    @AfterEach
    void stop() {
        server.close();
        replication.close();
    }

    private RawConnection connect() throws IOException {
        return new RawConnection(server.address(), TIMEOUT_MILLIS);
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void pipelineOfTenThousandIsAnsweredInOrderInBursts() {
        start(false);
        try (Jedis jedis = new Jedis(new HostAndPort(server.host(), server.port()), redis.clients.jedis.DefaultJedisClientConfig
                .builder().timeoutMillis(TIMEOUT_MILLIS).build())) {
            Pipeline pipeline = jedis.pipelined();
            List<Response<Long>> counts = new ArrayList<>();
            for (int i = 0; i < 10_000; i++) {
                counts.add(pipeline.incr("n"));
            }
            Response<String> last = pipeline.get("n");
            pipeline.sync();
            for (int i = 0; i < counts.size(); i++) {
                assertEquals(i + 1, counts.get(i).get());
            }
            assertEquals("10000", last.get());
        }
        assertEquals(10_001, replication.proposals.get());
        assertTrue(replication.submissions.get() < 1_000, "submissions: " + replication.submissions.get());
    }

    @Test
    void connectionCommandsTakeEffectInTheirPlaceAmongDataCommands() throws IOException {
        start(false);
        try (RawConnection c = connect()) {
            // HELLO 3 after a GET: the GET's reply is still RESP2; the one after it RESP3.
            c.send(ascii("SET k v\r\nGET missing\r\nHELLO 3\r\nGET missing\r\nPING\r\nGET k\r\n"));
            assertEquals("+OK", c.readLine());
            assertEquals("$-1", c.readLine());
            String hello = c.readLine();
            assertTrue(hello.startsWith("%"), hello);
            int fields = Integer.parseInt(hello.substring(1));
            for (int i = 0; i < fields * 2; i++) {
                String line = c.readLine();
                if (line.startsWith("$")) {
                    c.readLine();
                } else if (line.startsWith("*")) {
                    for (int j = 0; j < Integer.parseInt(line.substring(1)); j++) {
                        c.readLine();
                    }
                }
            }
            assertEquals("_", c.readLine());
            assertEquals("+PONG", c.readLine());
            assertEquals("$1", c.readLine());
            assertEquals("v", c.readLine());
            c.send(ascii("SET a 1\r\nQUIT\r\nSET a 2\r\n"));
            assertEquals("+OK", c.readLine());
            assertEquals("+OK", c.readLine());
            assertTrue(c.endOfStream());
        }
        assertEquals(Optional.of("1"), server.engine().get("a"));
    }

    @Test
    void execShipsItsDataCommandsAtomicallyAndAnswersTheOthersInPlace() throws IOException {
        start(false);
        try (RawConnection c = connect()) {
            c.send(ascii("MULTI\r\nSET t 1\r\nPING\r\nINCR t\r\nECHO hi\r\nGET t\r\nEXEC\r\nGET t\r\n"));
            for (int i = 0; i < 6; i++) {
                assertEquals(i == 0 ? "+OK" : "+QUEUED", c.readLine());
            }
            assertEquals("*5", c.readLine());
            assertEquals("+OK", c.readLine());
            assertEquals("+PONG", c.readLine());
            assertEquals(":2", c.readLine());
            assertEquals("$2", c.readLine());
            assertEquals("hi", c.readLine());
            assertEquals("$1", c.readLine());
            assertEquals("2", c.readLine());
            assertEquals("$1", c.readLine());
            assertEquals("2", c.readLine());
        }
        assertEquals(1, replication.atomic.get());
    }

    @Test
    void infoHasTheReplicationsRaftSection() throws IOException {
        start(false);
        try (RawConnection c = connect()) {
            c.send(ascii("INFO raft\r\n"));
            String header = c.readLine();
            assertEquals("$" + "# Raft\r\nraft_role:leader\r\n".length(), header);
            assertEquals("# Raft", c.readLine());
            assertEquals("raft_role:leader", c.readLine());
        }
    }

    @Test
    void kvsFramesGoThroughTheReplicationToo() {
        start(false);
        try (KvsClient client = KvsClient.connect(server.address())) {
            client.set("framed", "value");
            assertEquals(Optional.of("value"), client.get("framed"));
            client.remove("framed");
            assertEquals(Optional.empty(), client.get("framed"));
        }
        assertTrue(replication.proposals.get() >= 4, "proposals: " + replication.proposals.get());
    }

    @Test
    void pipelinedKvsFramesThroughTheReplicationAreEachAnsweredAsTheirOwnRequest() {
        start(false);
        try (KvsClient client = KvsClient.connect(server.address())) {
            List<io.kvs.net.protocol.Response> responses = client.pipeline()
                    .set("framed", "value").get("framed").remove("missing").get("missing").remove("framed").ping()
                    .execute();
            assertEquals(List.of(io.kvs.net.protocol.Response.ok(), io.kvs.net.protocol.Response.value("value"),
                    io.kvs.net.protocol.Response.notFound(), io.kvs.net.protocol.Response.notFound(),
                    io.kvs.net.protocol.Response.ok(), io.kvs.net.protocol.Response.ok()), responses);
        }
    }

    @Test
    void watchIsRefusedWithASentenceAndTheConnectionGoesOn() throws IOException {
        start(false);
        try (RawConnection c = connect()) {
            c.send(ascii("WATCH k\r\nMULTI\r\nSET k v\r\nEXEC\r\n"));
            assertEquals("-ERR WATCH is not supported by a replicated kvs-server: its EXEC is applied by every node",
                    c.readLine());
            assertEquals("+OK", c.readLine());
            assertEquals("+QUEUED", c.readLine());
            assertEquals("*1", c.readLine());
            assertEquals("+OK", c.readLine());
        }
    }

    @Test
    void aFailedReplicationIsAnErrorReplyAndTheConnectionGoesOn() throws IOException {
        start(true);
        try (RawConnection c = connect()) {
            c.send(ascii("SET k v\r\nPING\r\nGET k\r\n"));
            assertEquals("-ERR replication failed: no leader", c.readLine());
            assertEquals("+PONG", c.readLine());
            assertEquals("-ERR replication failed: no leader", c.readLine());
        }
    }

    /** Applies proposals to the engine on a thread of its own, after a random delay of up to 2 ms. */
    static final class DelayedReplication implements Replication, AutoCloseable {
        final AtomicInteger submissions = new AtomicInteger();
        final AtomicInteger proposals = new AtomicInteger();
        final AtomicInteger atomic = new AtomicInteger();
        private final EngineKeys keys;
        private final boolean failing;
        private final ExecutorService applier = Executors.newSingleThreadExecutor();

        DelayedReplication(KvsEngine engine, boolean failing) {
            this.keys = new EngineKeys(engine);
            this.failing = failing;
        }

        @Override
        public CompletableFuture<List<Reply>> submit(List<Proposal> submitted) {
            submissions.incrementAndGet();
            proposals.addAndGet(submitted.size());
            if (failing) {
                return CompletableFuture.failedFuture(new IllegalStateException("no leader"));
            }
            return CompletableFuture.supplyAsync(() -> {
                try {
                    TimeUnit.MICROSECONDS.sleep(ThreadLocalRandom.current().nextInt(2_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                List<Reply> replies = new ArrayList<>();
                for (Proposal proposal : submitted) {
                    if (proposal.atomic()) {
                        atomic.incrementAndGet();
                    }
                    replies.add(proposal.apply(keys));
                }
                return replies;
            }, applier);
        }

        @Override
        public Map<String, String> info() {
            Map<String, String> info = new LinkedHashMap<>();
            info.put("raft_role", "leader");
            return info;
        }

        @Override
        public void close() {
            applier.shutdownNow();
        }
    }
}
