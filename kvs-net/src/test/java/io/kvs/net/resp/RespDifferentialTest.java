package io.kvs.net.resp;

import io.kvs.net.LoopbackServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * kvs-server and a redis-server it starts, side by side ({@link RespDifferential}): 80 random
 * sequences of 250 commands, every reply and every key compared after each command.
 */
class RespDifferentialTest {

    private static Process redis;
    private static int redisPort;
    private static LoopbackServer kvs;

    @BeforeAll
    static void start() throws Exception {
        redisPort = RespDifferential.freePort();
        redis = RespDifferential.startRedis(redisPort);
        assumeTrue(redis != null, RespDifferential.NO_REDIS);
        kvs = LoopbackServer.start();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (kvs != null) {
            kvs.close();
        }
        if (redis != null) {
            redis.destroy();
            redis.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void everyReplyAndEveryKeyIsRedissForRandomCommandSequences() throws IOException {
        RespDifferential.compare(redisPort, kvs.port(), kvs.port(), 0, 80, 250);
    }
}
