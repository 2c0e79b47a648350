package io.kvs.raft;

import io.kvs.net.command.Arguments;
import io.kvs.net.command.CommandTable;
import io.kvs.net.command.DataCommand;
import io.kvs.net.command.Proposal;
import io.kvs.net.command.Reply;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Entries handed to a node's own Ratis server in process, and the cases that go through the client instead. */
class LocalRequestsTest {

    @TempDir
    Path root;

    private static Message batch(String... arguments) {
        List<byte[]> bytes = new ArrayList<>();
        for (String argument : arguments) {
            bytes.add(argument.getBytes(StandardCharsets.UTF_8));
        }
        DataCommand command = (DataCommand) CommandTable.parse(new Arguments(bytes));
        byte[] proposal = Batch.encode(new Proposal(List.of(command), false));
        return Message.valueOf(UnsafeByteOperations.unsafeWrap(Batch.encode(0, List.of(proposal))));
    }

    private static Reply onlyReply(CompletableFuture<RaftClientReply> sent) throws Exception {
        RaftClientReply reply = sent.get(20, TimeUnit.SECONDS);
        assertTrue(reply.isSuccess(), () -> "failed: " + reply.getException());
        List<Reply> replies = Replies.decode(reply.getMessage().getContent().toByteArray());
        assertEquals(1, replies.size());
        return replies.get(0);
    }

    private static Jedis connect(LocalGroup group, int i) {
        return new Jedis(new HostAndPort("127.0.0.1", group.port(i)),
                DefaultJedisClientConfig.builder().timeoutMillis(20_000).build());
    }

    private static LocalRequests local(LocalGroup group, int i) {
        return new LocalRequests(group.node(i).server(), RaftPeerId.valueOf(LocalGroup.id(i)));
    }

    @Test
    void aWriteGoesInProcessOnlyOnTheLeaderAndAReadOnlyOnAFollower() throws Exception {
        try (LocalGroup group = new LocalGroup(root, 3)) {
            int leader = group.awaitLeader();
            int follower = (leader + 1) % 3;
            try (Jedis jedis = connect(group, leader)) {
                assertEquals("OK", jedis.set("first", "write")); // the leader is ready once it has committed one
            }
            assertNull(local(group, follower).submit(batch("SET", "k", "v"), true), "a write on a follower");
            assertNull(local(group, leader).submit(batch("GET", "k"), false), "a read on the leader");

            CompletableFuture<RaftClientReply> written = local(group, leader).submit(batch("SET", "k", "v"), true);
            assertNotNull(written, "a write on the leader");
            assertEquals(new Reply.Status("OK"), onlyReply(written));

            // Linearizable: the follower's read comes after the acknowledged write.
            CompletableFuture<RaftClientReply> read = local(group, follower).submit(batch("GET", "k"), false);
            assertNotNull(read, "a read on a follower");
            Reply value = onlyReply(read);
            assertArrayEquals("v".getBytes(StandardCharsets.UTF_8), ((Reply.Bulk) value).bytes());
        }
    }

    /**
     * Reads through a follower go to its own server in process, with writes meanwhile, so that
     * reads wait for the follower to apply and are answered from the thread that applies. Under
     * the benchmark's load, sending the next read from that thread once stopped the node (Ratis
     * held its read queue's lock there, and the next read needed it); answers now run on their own
     * thread. The timing of that stop is not reproduced here: this proves every read is answered,
     * and answered right, on that path.
     */
    @Test
    void readsThroughAFollowerDuringWritesAreAllAnsweredWithTheValue() throws Exception {
        try (LocalGroup group = new LocalGroup(root, 3)) {
            int leader = group.awaitLeader();
            int follower = (leader + 1) % 3;
            try (Jedis jedis = connect(group, leader)) {
                assertEquals("OK", jedis.set("key", "value"));
            }
            ExecutorService clients = Executors.newFixedThreadPool(5);
            try {
                List<Future<Integer>> answered = new ArrayList<>();
                for (int c = 0; c < 4; c++) {
                    answered.add(clients.submit(() -> {
                        int values = 0;
                        try (Jedis jedis = connect(group, follower)) {
                            for (int round = 0; round < 20; round++) {
                                Pipeline pipeline = jedis.pipelined();
                                List<Response<String>> gets = new ArrayList<>();
                                for (int i = 0; i < 100; i++) {
                                    gets.add(pipeline.get("key"));
                                }
                                pipeline.sync();
                                for (Response<String> get : gets) {
                                    values += "value".equals(get.get()) ? 1 : 0;
                                }
                            }
                        }
                        return values;
                    }));
                }
                // Writes meanwhile: reads wait for the follower to apply them, and their answers
                // come from the thread that applies.
                Future<?> writes = clients.submit(() -> {
                    try (Jedis jedis = connect(group, leader)) {
                        for (int round = 0; round < 40; round++) {
                            Pipeline pipeline = jedis.pipelined();
                            for (int i = 0; i < 100; i++) {
                                pipeline.set("other" + i, Integer.toString(round));
                            }
                            pipeline.sync();
                        }
                    }
                    return null;
                });
                writes.get(60, TimeUnit.SECONDS);
                for (Future<Integer> values : answered) {
                    assertEquals(2000, values.get(60, TimeUnit.SECONDS));
                }
            } finally {
                clients.shutdownNow();
            }
        }
    }
}
