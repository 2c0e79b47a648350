package io.kvs.net;

import io.kvs.core.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
        Process server = ChildJvm.start(ServerProcess.class, dir.toString());
        List<SocketChannel> idle = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
             OutputStream in = server.getOutputStream()) {
            String first = out.readLine();
            assertTrue(first != null && first.startsWith("port "), "server said " + first);
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", Integer.parseInt(first.substring(5)));
            long threadsBefore = stat(in, out, "threads");

            for (int i = 0; i < CONNECTIONS; i++) {
                idle.add(SocketChannel.open(address));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            long connections;
            do {
                connections = stat(in, out, "connections");
            } while (connections < CONNECTIONS && System.nanoTime() < deadline);
            assertEquals(CONNECTIONS, connections);
            long threadsAfter = stat(in, out, "threads");
            assertEquals(threadsBefore, threadsAfter, "threads grew with connections");

            try (KvsClient client = KvsClient.connect(address)) {
                client.set("still", "answering");
                assertEquals(Optional.of("answering"), client.get("still"));
            }
        } finally {
            for (SocketChannel channel : idle) {
                closeQuietly(channel);
            }
            server.destroy();
            server.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static long stat(OutputStream in, BufferedReader out, String name) throws IOException {
        in.write("stats\n".getBytes(StandardCharsets.UTF_8));
        in.flush();
        String[] words = out.readLine().split(" ");
        for (int i = 0; i + 1 < words.length; i += 2) {
            if (words[i].equals(name)) {
                return Long.parseLong(words[i + 1]);
            }
        }
        throw new IllegalStateException("no " + name + " in stats");
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Closing anyway.
        }
    }
}
