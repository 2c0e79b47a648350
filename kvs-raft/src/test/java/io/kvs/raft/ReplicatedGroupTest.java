package io.kvs.raft;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.Transaction;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Three kvs nodes in one JVM: every node takes every command, and every node holds what was acknowledged. */
class ReplicatedGroupTest {

    @TempDir
    Path root;

    private static Jedis connect(LocalGroup group, int i) {
        return new Jedis(new HostAndPort("127.0.0.1", group.port(i)),
                DefaultJedisClientConfig.builder().timeoutMillis(20_000).build());
    }

    @Test
    void writesThroughAnyNodeAreReadFromEveryNode() throws Exception {
        try (LocalGroup group = new LocalGroup(root, 3, 100_000)) {
            int leader = group.awaitLeader();
            int follower = (leader + 1) % 3;
            try (Jedis viaFollower = connect(group, follower); Jedis viaLeader = connect(group, leader)) {
                assertEquals("OK", viaFollower.set("greeting", "hello"));
                assertEquals("hello", viaLeader.get("greeting"));
                assertEquals(1, viaLeader.incr("n"));
                assertEquals(2, viaFollower.incr("n"));
                Pipeline pipeline = viaFollower.pipelined();
                List<Response<Long>> counts = new ArrayList<>();
                for (int i = 0; i < 1000; i++) {
                    counts.add(pipeline.incr("pipelined"));
                }
                pipeline.sync();
                for (int i = 0; i < counts.size(); i++) {
                    assertEquals(i + 1, counts.get(i).get());
                }
                Transaction transaction = viaLeader.multi();
                transaction.set("t", "1");
                transaction.incr("t");
                transaction.get("t");
                List<Object> results = transaction.exec();
                assertEquals(List.of("OK", 2L, "2"), results);
            }
            for (int i = 0; i < 3; i++) {
                try (Jedis jedis = connect(group, i)) {
                    assertEquals("hello", jedis.get("greeting"), "node " + i);
                    assertEquals("1000", jedis.get("pipelined"), "node " + i);
                    assertEquals("2", jedis.get("t"), "node " + i);
                    Map<String, String> raft = parseInfo(jedis.info("raft"));
                    assertEquals(LocalGroup.id(i), raft.get("raft_node_id"));
                    assertEquals(LocalGroup.id(leader), raft.get("raft_leader_id"));
                    assertEquals(i == leader ? "leader" : "follower", raft.get("raft_role"));
                    assertTrue(raft.get("raft_peers").contains("n1@127.0.0.1:"), raft.get("raft_peers"));
                }
            }
        }
    }

    static Map<String, String> parseInfo(String text) {
        Map<String, String> fields = new java.util.LinkedHashMap<>();
        for (String line : text.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && !line.startsWith("#")) {
                fields.put(line.substring(0, colon), line.substring(colon + 1));
            }
        }
        return fields;
    }
}
