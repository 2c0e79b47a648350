package io.kvs.net;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The server holds 10,000 open connections without a thread per connection, and still answers.
 * The server runs in a child process so that each side stays within the file descriptor limit.
 */
class TenThousandConnectionsTest {

    private static final int CONNECTIONS = 10_000;

    @TempDir
    Path dir;

    @Test
    void holdsTenThousandIdleConnectionsWithConstantThreadsAndStillAnswers() throws Exception {
        List<SocketChannel> idle = new ArrayList<>();
        try (ChildServer server = ChildServer.start(List.of(), dir.toString())) {
            long threadsBefore = server.stat("threads");
            for (int i = 0; i < CONNECTIONS; i++) {
                idle.add(SocketChannel.open(server.address()));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            long connections;
            do {
                connections = server.stat("connections");
            } while (connections < CONNECTIONS && System.nanoTime() < deadline);
            assertEquals(CONNECTIONS, connections);
            long threadsAfter = server.stat("threads");
            assertEquals(threadsBefore, threadsAfter, "threads grew with connections");

            try (KvsClient client = KvsClient.connect(server.address())) {
                client.set("still", "answering");
                assertEquals(Optional.of("answering"), client.get("still"));
            }
        } finally {
            for (SocketChannel channel : idle) {
                channel.close();
            }
        }
    }
}
