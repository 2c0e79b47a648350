package io.kvs.net.resp;

import io.kvs.net.LoopbackServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;

/**
 * kvs-server and a redis-server it starts, side by side ({@link RespDifferential}): 80 random
 * sequences of 250 commands, every reply and every key compared after each command.
 */
class RespDifferentialTest {

    private static RespDifferential.Redis redis;
    private static LoopbackServer kvs;

    @BeforeAll
    static void start() throws Exception {
        redis = RespDifferential.Redis.startOrSkip();
        kvs = LoopbackServer.start();
    }

    @AfterAll
    static void stop() {
        if (kvs != null) {
            kvs.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void everyReplyAndEveryKeyIsRedissForRandomCommandSequences() throws IOException {
        RespDifferential.compare(redis, kvs.port(), kvs.port(), 0, 80, 250, true);
    }
}
