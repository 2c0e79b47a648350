package io.kvs.raft;

import io.kvs.net.resp.RespDifferential;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A three-node group and a redis-server side by side ({@link RespDifferential}): every command
 * goes through the Raft log (or a ReadIndex read) and is applied by every node's state machine,
 * so each one's encoding into a log entry and back must keep Redis's meaning. Commands go to the
 * leader in some sequences and to a follower in others; the keys are read back from another node.
 */
class ReplicatedRespDifferentialTest {

    private static Process redis;
    private static int redisPort;
    private static LocalGroup group;
    private static Path root;

    @BeforeAll
    static void start() throws Exception {
        redisPort = RespDifferential.freePort();
        redis = RespDifferential.startRedis(redisPort);
        assumeTrue(redis != null, RespDifferential.NO_REDIS);
        root = Files.createTempDirectory("kvs-raft-differential");
        group = new LocalGroup(root, 3);
        group.awaitLeader();
    }

    @AfterAll
    static void stop() throws Exception {
        if (group != null) {
            group.close();
        }
        if (redis != null) {
            redis.destroy();
            redis.waitFor(10, TimeUnit.SECONDS);
        }
        if (root != null) {
            try (var files = Files.walk(root)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    @Test
    void throughTheLeaderEveryReplyAndEveryKeyOnAFollowerIsRediss() throws Exception {
        int leader = group.awaitLeader();
        int follower = (leader + 1) % group.size();
        RespDifferential.compare(redisPort, group.port(leader), group.port(follower), 0, 6, 150);
    }

    @Test
    void throughAFollowerEveryReplyAndEveryKeyOnTheLeaderIsRediss() throws Exception {
        int leader = group.awaitLeader();
        int follower = (leader + 2) % group.size();
        RespDifferential.compare(redisPort, group.port(follower), group.port(leader), 6, 12, 150);
    }
}
