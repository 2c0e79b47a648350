package io.kvs.raft;

import io.kvs.net.resp.RespDifferential;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/**
 * A three-node group and a redis-server side by side ({@link RespDifferential}): every command
 * goes through the Raft log (or a ReadIndex read) and is applied by every node's state machine,
 * so each one's encoding into a log entry and back must keep Redis's meaning. Commands go to the
 * leader in some sequences and to a follower in others; the keys are read back from another node.
 */
class ReplicatedRespDifferentialTest {

    @TempDir
    static Path root;
    private static RespDifferential.Redis redis;
    private static LocalGroup group;

    @BeforeAll
    static void start() throws Exception {
        redis = RespDifferential.Redis.startOrSkip();
        group = new LocalGroup(root, 3);
        group.awaitLeader();
    }

    @AfterAll
    static void stop() throws Exception {
        if (group != null) {
            group.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void throughTheLeaderEveryReplyAndEveryKeyOnAFollowerIsRediss() throws Exception {
        int leader = group.awaitLeader();
        RespDifferential.compare(redis, group.port(leader), group.port((leader + 1) % group.size()), 0, 6, 150, false);
    }

    @Test
    void throughAFollowerEveryReplyAndEveryKeyOnTheLeaderIsRediss() throws Exception {
        int leader = group.awaitLeader();
        RespDifferential.compare(redis, group.port((leader + 2) % group.size()), group.port(leader), 6, 12, 150, false);
    }
}
