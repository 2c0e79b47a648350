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
        try (LocalGroup group = new LocalGroup(root, 3)) {
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

    /** A follower stopped and started again replays the log it kept: nothing applied twice, nothing missed. */
    @Test
    void aRestartedFollowerCatchesUpWithoutApplyingAnythingTwice() throws Exception {
        try (LocalGroup group = new LocalGroup(root, 3)) {
            int leader = group.awaitLeader();
            int follower = (leader + 1) % 3;
            try (Jedis jedis = connect(group, leader)) {
                for (int i = 0; i < 50; i++) {
                    jedis.incr("counter");
                }
            }
            awaitValue(group, follower, "counter", "50");
            group.stop(follower);
            try (Jedis jedis = connect(group, leader)) {
                for (int i = 0; i < 50; i++) {
                    jedis.incr("counter");
                }
                jedis.set("while-down", "yes");
            }
            group.start(follower);
            awaitValue(group, follower, "while-down", "yes");
            try (Jedis jedis = connect(group, follower)) {
                assertEquals("100", jedis.get("counter"));
                assertEquals(101, jedis.incr("counter"));
            }
            group.stop(0);
            group.stop(1);
            group.stop(2);
            for (int i = 0; i < 3; i++) {
                group.start(i);
            }
            group.awaitLeader();
            for (int i = 0; i < 3; i++) {
                awaitValue(group, i, "counter", "101");
            }
        }
    }

    /**
     * A follower started again does not know the leader until the leader's next append reaches
     * it (seconds, when the leader's connection to it is backing off after the failures while it
     * was down). A read through it in that time waits for the leader rather than being refused
     * with TRYAGAIN at once (a black-box run of kill -9 cycles found 138 reads refused so, each
     * at once). Fails on a read path that gives up on the first "Leader is unknown".
     */
    @Test
    void aReadThroughARestartedFollowerWaitsForItToLearnTheLeader() throws Exception {
        try (LocalGroup group = new LocalGroup(root, 3)) {
            int leader = group.awaitLeader();
            int follower = (leader + 1) % 3;
            try (Jedis jedis = connect(group, leader)) {
                jedis.set("before", "1");
            }
            awaitValue(group, follower, "before", "1");
            group.stop(follower);
            try (Jedis jedis = connect(group, leader)) {
                jedis.set("while-down", "yes");
            }
            // Long enough for the leader's appends to the stopped node to fail and back off.
            Thread.sleep(3000);
            group.start(follower);
            try (Jedis jedis = connect(group, follower)) {
                assertEquals("yes", jedis.get("while-down"));
                assertEquals("1", jedis.get("before"));
            }
        }
    }

    /**
     * With snapshots every 20 entries and small log segments, the log a follower missed is purged
     * while it is down: it catches up by installing the leader's snapshot (an engine checkpoint).
     */
    @Test
    void aFollowerBehindThePurgedLogInstallsTheLeadersSnapshot() throws Exception {
        try (LocalGroup group = new LocalGroup(root, 3, 20, 4096)) {
            int leader = group.awaitLeader();
            int follower = (leader + 1) % 3;
            group.stop(follower);
            try (Jedis jedis = connect(group, leader)) {
                for (int i = 0; i < 300; i++) {
                    jedis.set("key" + i, "value" + i);
                }
                jedis.incrBy("total", 300);
            }
            group.start(follower);
            awaitValue(group, follower, "total", "300");
            try (Jedis jedis = connect(group, follower)) {
                for (int i = 0; i < 300; i++) {
                    assertEquals("value" + i, jedis.get("key" + i));
                }
                assertEquals(301, jedis.incr("total"));
            }
            java.nio.file.Path sm = root.resolve(LocalGroup.id(follower)).resolve("raft");
            try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.walk(sm)) {
                assertTrue(files.anyMatch(path -> path.getFileName().toString().startsWith("checkpoint-")),
                        "the follower holds a snapshot");
            }
        }
    }

    /**
     * A fourth node started empty joins the running group and gets its data; then a member is
     * removed, and the three that are left keep serving writes.
     */
    @Test
    void anEmptyNodeIsAddedToARunningGroupAndAMemberRemoved() throws Exception {
        try (LocalGroup group = new LocalGroup(root, 3)) {
            int leader = group.awaitLeader();
            try (Jedis jedis = connect(group, leader)) {
                for (int i = 0; i < 100; i++) {
                    jedis.set("before-" + i, "v" + i);
                }
            }
            org.apache.ratis.protocol.RaftPeer added = group.startJoining();
            List<org.apache.ratis.protocol.RaftPeer> members = RaftMembership.add(group.peers().subList(0, 3), added,
                    java.time.Duration.ofSeconds(30));
            assertEquals(4, members.size(), RaftPeers.format(members));
            awaitValue(group, 3, "before-99", "v99");
            int removed = (group.awaitLeader() + 1) % 3;
            List<org.apache.ratis.protocol.RaftPeer> left = RaftMembership.remove(group.peers(), LocalGroup.id(removed),
                    java.time.Duration.ofSeconds(30));
            assertEquals(3, left.size(), RaftPeers.format(left));
            assertEquals(3, RaftMembership.members(left, java.time.Duration.ofSeconds(10)).size());
            int stays = (removed + 1) % 3;
            try (Jedis jedis = connect(group, stays)) {
                assertEquals("OK", jedis.set("after", "yes"));
            }
            awaitValue(group, 3, "after", "yes");
            Map<String, String> raft = parseInfo(connectAndInfo(group, 3));
            assertTrue(!raft.get("raft_peers").contains(LocalGroup.id(removed) + "@"), raft.get("raft_peers"));
            awaitRemoved(group, removed);
        }
    }

    /** The removed node says so, once its Raft part has shut down (it does on its next election attempt). */
    private static void awaitRemoved(LocalGroup group, int i) throws InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        String last = null;
        while (System.nanoTime() < deadline) {
            try (Jedis jedis = connect(group, i)) {
                jedis.get("after");
                last = "answered";
            } catch (redis.clients.jedis.exceptions.JedisDataException e) {
                last = e.getMessage();
                if (last.startsWith("ERR node " + LocalGroup.id(i) + " is no longer serving the Raft group")) {
                    return;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the removed node answered: " + last);
    }

    private static String connectAndInfo(LocalGroup group, int i) {
        try (Jedis jedis = connect(group, i)) {
            return jedis.info("raft");
        }
    }

    /**
     * A node left without a majority serves nothing: a read is refused rather than answered from
     * its local state (which holds the value), and a write is refused, both with TRYAGAIN.
     */
    @Test
    void aNodeWithoutAMajorityAnswersTryAgainAndNeverStaleData() throws Exception {
        try (LocalGroup group = new LocalGroup(root, 3)) {
            int leader = group.awaitLeader();
            try (Jedis jedis = connect(group, leader)) {
                jedis.set("k", "v1");
            }
            int alone = (leader + 1) % 3;
            awaitValue(group, alone, "k", "v1");
            group.stop(leader);
            group.stop((leader + 2) % 3);
            try (Jedis jedis = connect(group, alone)) {
                redis.clients.jedis.exceptions.JedisDataException read = org.junit.jupiter.api.Assertions.assertThrows(
                        redis.clients.jedis.exceptions.JedisDataException.class, () -> jedis.get("k"));
                assertTrue(read.getMessage().startsWith("TRYAGAIN ") && read.getMessage().contains("the read was not served"),
                        read.getMessage());
                redis.clients.jedis.exceptions.JedisDataException write = org.junit.jupiter.api.Assertions.assertThrows(
                        redis.clients.jedis.exceptions.JedisDataException.class, () -> jedis.set("k", "v2"));
                assertTrue(write.getMessage().startsWith("TRYAGAIN ") && write.getMessage().contains("may still be applied"),
                        write.getMessage());
                assertTrue(parseInfo(jedis.info("raft")).get("raft_role").matches("follower|candidate"));
            }
            assertEquals(java.util.Optional.of("v1"), group.node(alone).engine().get("k"), "the local state holds the value");
        }
    }

    /**
     * A proposal larger than one log entry may hold is refused with a LIMIT error in its place;
     * the commands around it in the same pipeline are applied as usual.
     */
    @Test
    void anOversizedProposalIsRefusedInItsPlaceAndItsNeighboursApplied() throws Exception {
        try (LocalGroup group = new LocalGroup(root, 3)) {
            int leader = group.awaitLeader();
            String big = "x".repeat(12 << 20);
            try (Jedis jedis = connect(group, leader)) {
                Pipeline pipeline = jedis.pipelined();
                Response<String> before = pipeline.set("before", "1");
                Response<String> mset = pipeline.mset("b1", big, "b2", big);
                Response<String> after = pipeline.get("before");
                List<Object> all = pipeline.syncAndReturnAll();
                assertEquals("OK", before.get());
                assertTrue(all.get(1) instanceof redis.clients.jedis.exceptions.JedisDataException, String.valueOf(all.get(1)));
                assertTrue(((Exception) all.get(1)).getMessage().startsWith("ERR a replicated command is limited to"),
                        ((Exception) all.get(1)).getMessage());
                assertEquals("1", after.get());
                assertEquals(null, jedis.get("b1"));
                org.junit.jupiter.api.Assertions.assertNotNull(mset);
            }
        }
    }

    /** Waits up to 20 s for node {@code i} to read {@code expected} under {@code key}. */
    static void awaitValue(LocalGroup group, int i, String key, String expected) throws InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
        String value = null;
        while (System.nanoTime() < deadline) {
            try (Jedis jedis = connect(group, i)) {
                value = jedis.get(key);
                if (expected.equals(value)) {
                    return;
                }
            } catch (redis.clients.jedis.exceptions.JedisException e) {
                value = e.getMessage();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("node " + i + " reads " + value + " under " + key + ", not " + expected);
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
