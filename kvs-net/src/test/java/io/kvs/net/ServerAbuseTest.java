package io.kvs.net;

import io.kvs.net.protocol.FrameDecoder;
import io.kvs.net.protocol.FrameDescriptor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Live abuse of a server in a child process: random frames, absurd lengths, slowloris, idle
 * connections, connections over the limit. Throughout, a health check on its own connection
 * must keep getting answers within {@value #HEALTH_BOUND_MILLIS} ms, the server's thread count
 * must not grow with connections, its heap must stay under {@value #HEAP_BOUND_BYTES} bytes,
 * and idle or half-sent connections must be closed after their timeouts.
 * Random frames: {@value #FRAMES_PROP_NAME} (default 100,000).
 */
class ServerAbuseTest {

    static final String FRAMES_PROP_NAME = "kvs.abuse.frames";
    /** The promise: a health check is answered within this time, whatever else goes on. */
    static final long HEALTH_BOUND_MILLIS = 1000;
    /** Live heap after a GC stays under this while connections misbehave. */
    static final long HEAP_BOUND_BYTES = 256L * 1024 * 1024;
    static final long IDLE_TIMEOUT_MILLIS = 3000;
    static final long FRAME_TIMEOUT_MILLIS = 2000;
    static final int MAX_CONNECTIONS = 12_000;

    @TempDir
    Path dir;
    private ChildServer server;
    private InetSocketAddress address;
    private final List<SocketChannel> held = new ArrayList<>();

    private void startServer() throws IOException {
        startServer(IDLE_TIMEOUT_MILLIS);
    }

    private void startServer(long idleTimeoutMillis) throws IOException {
        startServer(idleTimeoutMillis, FRAME_TIMEOUT_MILLIS);
    }

    private void startServer(long idleTimeoutMillis, long frameTimeoutMillis) throws IOException {
        server = ChildServer.start(List.of(), dir.toString(), Integer.toString(MAX_CONNECTIONS),
                Long.toString(idleTimeoutMillis), Long.toString(frameTimeoutMillis));
        address = server.address();
    }

    @AfterEach
    void stop() throws Exception {
        for (SocketChannel channel : held) {
            channel.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private long stat(String name) throws IOException {
        return server.stat(name);
    }

    /** Pings every 50 ms on a connection of its own and records the slowest answer. */
    private final class HealthCheck implements AutoCloseable {
        final AtomicLong slowestMillis = new AtomicLong();
        final AtomicLong answers = new AtomicLong();
        final AtomicBoolean stop = new AtomicBoolean();
        final Thread thread;
        volatile Throwable failure;

        HealthCheck() {
            thread = new Thread(() -> {
                try (KvsClient client = KvsClient.connect(address, Duration.ofMillis(HEALTH_BOUND_MILLIS * 5))) {
                    while (!stop.get()) {
                        long start = System.nanoTime();
                        client.ping();
                        slowestMillis.accumulateAndGet((System.nanoTime() - start) / 1_000_000, Math::max);
                        answers.incrementAndGet();
                        Thread.sleep(50);
                    }
                } catch (Throwable e) {
                    failure = e;
                }
            }, "health-check");
            thread.start();
        }

        /** Fails now if a health check already failed or was too slow. */
        void assertHealthySoFar() {
            assertTrue(failure == null, "health check failed: " + failure);
            assertTrue(slowestMillis.get() <= HEALTH_BOUND_MILLIS,
                    "slowest health check " + slowestMillis.get() + " ms, bound " + HEALTH_BOUND_MILLIS + " ms");
        }

        @Override
        public void close() {
            stop.set(true);
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            assertTrue(failure == null, "health check failed: " + failure);
            assertTrue(answers.get() > 0, "no health check answered");
            assertTrue(slowestMillis.get() <= HEALTH_BOUND_MILLIS,
                    "slowest health check " + slowestMillis.get() + " ms, bound " + HEALTH_BOUND_MILLIS + " ms");
        }
    }

    @Test
    void randomFramesAndAbsurdLengthsNeverStopTheServer() throws Exception {
        startServer();
        int frames = Integer.getInteger(FRAMES_PROP_NAME, 100_000);
        long threadsBefore = stat("threads");
        Random random = new Random(2026);
        FrameDecoder decoder = new FrameDecoder(FrameDescriptor.MAX_FRAME_BYTES_DEFAULT);
        long sent = 0;
        long answered = 0;
        int connections = 0;
        HealthCheck health = new HealthCheck();
        try (health) {
            while (sent < frames) {
                connections++;
                ByteBuffer burst = ByteBuffer.allocate(64 * 1024);
                int inBurst = 0;
                while (burst.remaining() > 300 && inBurst < 500) {
                    randomFrame(random, burst);
                    inBurst++;
                }
                // Every burst ends with an unknown opcode: the server answers it and hangs up.
                burst.putInt(2).put(FrameDescriptor.VERSION).put((byte) 0x7f);
                ByteBuffer replies = ByteBuffer.wrap(exchange(java.util.Arrays.copyOf(burst.array(), burst.position())));
                while (decoder.decodeResponse(replies) != null) {
                    answered++;
                }
                sent += inBurst + 1;
                health.assertHealthySoFar();
            }
        }
        long threads = stat("threads");
        long heap = stat("heap");
        System.out.printf("[abuse] random frames: %d sent on %d connections, %d answered; slowest health check %d ms;"
                + " server threads %d -> %d, live heap %d bytes%n", sent, connections, answered, health.slowestMillis.get(),
                threadsBefore, threads, heap);
        assertTrue(answered > frames / 10, "only " + answered + " of " + sent + " frames answered");
        assertTrue(threads <= threadsBefore + 2, "threads grew");
        assertTrue(heap < HEAP_BOUND_BYTES, "heap " + heap);
        try (KvsClient client = KvsClient.connect(address)) {
            client.set("after", "abuse");
            assertEquals(Optional.of("abuse"), client.get("after"));
        }
    }

    /** The same over RESP: bursts of mostly valid commands, one in 200 hostile (garbage, absurd counts and lengths). */
    @Test
    void randomRespNeverStopsTheServer() throws Exception {
        startServer();
        int requests = Integer.getInteger(FRAMES_PROP_NAME, 100_000);
        long threadsBefore = stat("threads");
        Random random = new Random(2027);
        long sent = 0;
        long replies = 0;
        HealthCheck health = new HealthCheck();
        try (health) {
            while (sent < requests) {
                StringBuilder burst = new StringBuilder();
                int inBurst = 0;
                while (burst.length() < 60_000 && inBurst < 500) {
                    randomResp(random, burst);
                    inBurst++;
                }
                burst.append("QUIT\r\n");
                for (byte b : exchange(burst.toString().getBytes(StandardCharsets.ISO_8859_1))) {
                    if (b == '\n') {
                        replies++;
                    }
                }
                sent += inBurst + 1;
                health.assertHealthySoFar();
            }
        }
        long threads = stat("threads");
        long heap = stat("heap");
        System.out.printf("[abuse] random RESP: %d requests sent, %d reply lines; slowest health check %d ms;"
                + " server threads %d -> %d, live heap %d bytes%n", sent, replies, health.slowestMillis.get(), threadsBefore,
                threads, heap);
        assertTrue(replies > requests / 10, "only " + replies + " reply lines for " + sent + " requests");
        assertTrue(threads <= threadsBefore + 2, "threads grew");
        assertTrue(heap < HEAP_BOUND_BYTES, "heap " + heap);
    }

    /** A RESP request: mostly SET, GET, DEL, INCR and PING, inline or as arrays; one in 200 hostile. */
    private static void randomResp(Random random, StringBuilder out) {
        int kind = random.nextInt(400);
        String key = new String(ascii(random, 1 + random.nextInt(20)), StandardCharsets.ISO_8859_1).replace(' ', '_');
        if (kind == 0) {
            out.append('*').append(random.nextBoolean() ? "-" + random.nextInt(1000) : Long.toString(Long.MAX_VALUE)).append("\r\n");
        } else if (kind == 1) {
            out.append("*1\r\n$").append(Integer.MAX_VALUE - random.nextInt(1000)).append("\r\n");
        } else if (kind == 2) {
            byte[] garbage = new byte[1 + random.nextInt(200)];
            random.nextBytes(garbage);
            out.append(new String(garbage, StandardCharsets.ISO_8859_1)).append("\r\n");
        } else {
            String[] command = switch (random.nextInt(5)) {
                case 0 -> new String[] {"SET", key, new String(ascii(random, random.nextInt(100)), StandardCharsets.ISO_8859_1)};
                case 1 -> new String[] {"GET", key};
                case 2 -> new String[] {"DEL", key};
                case 3 -> new String[] {"INCR", key};
                default -> new String[] {"PING"};
            };
            out.append('*').append(command.length).append("\r\n");
            for (String argument : command) {
                out.append('$').append(argument.length()).append("\r\n").append(argument).append("\r\n");
            }
        }
    }

    /**
     * Sends {@code burst} on a new connection and returns all the server answers before it
     * closes, or nothing if the connection is reset first (closed on a violation with input unread).
     */
    private byte[] exchange(byte[] burst) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(address, 5000);
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(burst);
                out.flush();
                return socket.getInputStream().readAllBytes();
            } catch (IOException e) {
                return new byte[0]; // closed on a violation before everything was read
            }
        }
    }

    /** Mostly well-formed requests with random keys and values; one in 200 hostile. */
    private static void randomFrame(Random random, ByteBuffer out) {
        int kind = random.nextInt(400);
        if (kind == 0) {
            out.putInt(random.nextBoolean() ? -1 - random.nextInt(1000) : Integer.MAX_VALUE - random.nextInt(1000));
        } else if (kind == 1) {
            int length = 2 + random.nextInt(200);
            out.putInt(length).put(FrameDescriptor.VERSION).put((byte) random.nextInt(256));
            byte[] operands = new byte[length - 2];
            random.nextBytes(operands);
            out.put(operands);
        } else {
            byte[] key = ascii(random, 1 + random.nextInt(20));
            switch (random.nextInt(4)) {
                case 0 -> {
                    byte[] value = ascii(random, random.nextInt(100));
                    out.putInt(6 + key.length + value.length).put(FrameDescriptor.VERSION).put(FrameDescriptor.OP_SET)
                            .putInt(key.length).put(key).put(value);
                }
                case 1 -> out.putInt(2 + key.length).put(FrameDescriptor.VERSION).put(FrameDescriptor.OP_GET).put(key);
                case 2 -> out.putInt(2 + key.length).put(FrameDescriptor.VERSION).put(FrameDescriptor.OP_REMOVE).put(key);
                default -> out.putInt(2).put(FrameDescriptor.VERSION).put(FrameDescriptor.OP_PING);
            }
        }
    }

    private static byte[] ascii(Random random, int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (' ' + random.nextInt(95));
        }
        return bytes;
    }

    @Test
    void slowlorisAndIdleConnectionsAreClosedAfterTheirTimeouts() throws Exception {
        startServer();
        long threadsBefore = stat("threads");
        int slowloris = 2000;
        int idle = 3000;
        try (HealthCheck health = new HealthCheck()) {
            for (int i = 0; i < slowloris; i++) {
                SocketChannel channel = SocketChannel.open(address);
                // Announce a 1 MiB SET and send ten bytes of it.
                channel.write(ByteBuffer.allocate(10).putInt(1 << 20).put(FrameDescriptor.VERSION)
                        .put(FrameDescriptor.OP_SET).putInt(3).flip());
                held.add(channel);
            }
            for (int i = 0; i < idle; i++) {
                held.add(SocketChannel.open(address));
            }
            awaitConnections(slowloris + idle + 1, 20_000);
            long threads = stat("threads");
            long heap = stat("heap");
            assertTrue(threads <= threadsBefore + 2, "threads grew with connections");
            assertTrue(heap < HEAP_BOUND_BYTES, "heap " + heap);
            long start = System.nanoTime();
            // Half-sent frames go after the frame timeout, silent connections after the idle timeout.
            awaitConnections(1, IDLE_TIMEOUT_MILLIS + FRAME_TIMEOUT_MILLIS + 10_000);
            long tookMillis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(tookMillis >= Math.min(IDLE_TIMEOUT_MILLIS, FRAME_TIMEOUT_MILLIS) / 2,
                    "connections closed too early: " + tookMillis + " ms");
            health.assertHealthySoFar();
            System.out.printf("[abuse] %d half-sent and %d idle connections: server threads %d -> %d, live heap %d bytes;"
                    + " all closed %d ms after the last opened (frame timeout %d ms, idle timeout %d ms);"
                    + " slowest health check %d ms%n", slowloris, idle, threadsBefore, threads, heap, tookMillis,
                    FRAME_TIMEOUT_MILLIS, IDLE_TIMEOUT_MILLIS, health.slowestMillis.get());
        }
    }

    @Test
    void connectionsOverTheLimitAreRefusedAndTheServerCarriesOn() throws Exception {
        startServer(TimeUnit.MINUTES.toMillis(10));
        for (int i = 0; i < MAX_CONNECTIONS; i++) {
            held.add(SocketChannel.open(address));
        }
        awaitConnections(MAX_CONNECTIONS, 30_000);
        int refused = 0;
        for (int i = 0; i < 50; i++) {
            try (Socket extra = new Socket()) {
                extra.connect(address, 5000);
                extra.setSoTimeout(5000);
                byte[] reply = extra.getInputStream().readAllBytes();
                if (reply.length > 6 && reply[5] == FrameDescriptor.STATUS_ERROR && reply[6] == FrameDescriptor.ERROR_UNAVAILABLE) {
                    refused++;
                }
            }
        }
        assertEquals(50, refused);
        for (SocketChannel channel : held) {
            channel.close();
        }
        held.clear();
        awaitConnections(0, 30_000);
        try (KvsClient client = KvsClient.connect(address)) {
            client.ping();
        }
    }

    /**
     * Regression (the reproduction): with a 256 MiB heap, 15 connections that each sent
     * 15 MiB of a 16 MiB SET and stalled ran the server out of heap in EventLoop.grow; its loop
     * died, and every later request timed out. Now the connections beyond the partial-frame
     * budget are answered UNAVAILABLE and closed, and the server answers throughout.
     */
    @Test
    void stalledSixteenMebibyteSetsBeyondTheBudgetAreRefusedAndTheServerKeepsAnswering() throws Exception {
        // Timeouts long enough that only the budget closes a connection here.
        startServer(TimeUnit.MINUTES.toMillis(10), TimeUnit.MINUTES.toMillis(10));
        int connections = 15;
        int valueBytes = 16 << 20;
        int sentBytes = 15 << 20;
        long budget = stat("budget");
        long frameBytes = FrameDescriptor.SET_OVERHEAD_BYTES + 1L + valueBytes;
        ByteBuffer header = ByteBuffer.allocate(FrameDescriptor.SET_OVERHEAD_BYTES + 1)
                .putInt((int) frameBytes - FrameDescriptor.LENGTH_FIELD_BYTES).put(FrameDescriptor.VERSION)
                .put(FrameDescriptor.OP_SET).putInt(1).put((byte) 'k');
        ByteBuffer chunk = ByteBuffer.allocate(1 << 20);
        try (HealthCheck health = new HealthCheck()) {
            for (int i = 0; i < connections; i++) {
                SocketChannel channel = SocketChannel.open(address);
                held.add(channel);
                channel.write(header.flip());
                for (int sent = 0; sent < sentBytes; sent += chunk.capacity()) {
                    chunk.clear();
                    while (chunk.hasRemaining()) {
                        channel.write(chunk);
                    }
                }
                health.assertHealthySoFar();
            }
            // The budget holds at most this many of the stalled frames; the others are refused.
            long heldAtMost = budget / sentBytes;
            int refused = awaitRefusals(connections - (int) heldAtMost, 30_000);
            assertTrue(refused >= connections - heldAtMost, refused + " refused, budget " + budget);
            assertTrue(stat("buffered") <= budget, "buffered beyond the budget");
            assertTrue(stat("heap") < HEAP_BOUND_BYTES, "heap");
            health.assertHealthySoFar();
            for (SocketChannel channel : held) {
                channel.close();
            }
            held.clear();
            awaitConnections(1, 30_000);
            try (KvsClient client = KvsClient.connect(address)) {
                String value = "v".repeat(valueBytes);
                client.set("whole", value);
                assertEquals(Optional.of(value), client.get("whole"));
            }
            System.out.printf("[abuse] %d connections stalled after 15 MiB of a 16 MiB SET: %d refused (budget %d bytes);"
                    + " slowest health check %d ms%n", connections, refused, budget, health.slowestMillis.get());
        }
    }

    /** The same over RESP: stalled 16 MiB SETs past the budget get Redis-style error replies, and the server carries on. */
    @Test
    void stalledSixteenMebibyteRespSetsBeyondTheBudgetAreRefusedAndTheServerKeepsAnswering() throws Exception {
        startServer(TimeUnit.MINUTES.toMillis(10), TimeUnit.MINUTES.toMillis(10));
        int connections = 15;
        int valueBytes = 16 << 20;
        int sentBytes = 15 << 20;
        long budget = stat("budget");
        byte[] header = ("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$" + valueBytes + "\r\n").getBytes(StandardCharsets.US_ASCII);
        ByteBuffer chunk = ByteBuffer.allocate(1 << 20);
        try (HealthCheck health = new HealthCheck()) {
            for (int i = 0; i < connections; i++) {
                SocketChannel channel = SocketChannel.open(address);
                held.add(channel);
                channel.write(ByteBuffer.wrap(header));
                for (int sent = 0; sent < sentBytes; sent += chunk.capacity()) {
                    chunk.clear();
                    while (chunk.hasRemaining()) {
                        channel.write(chunk);
                    }
                }
                health.assertHealthySoFar();
            }
            long heldAtMost = budget / sentBytes;
            int refused = awaitRefusals(connections - (int) heldAtMost, 30_000, reply ->
                    StandardCharsets.ISO_8859_1.decode(reply).toString().startsWith("-ERR the server has no room for this frame"));
            assertTrue(refused >= connections - heldAtMost, refused + " refused, budget " + budget);
            assertTrue(stat("buffered") <= budget, "buffered beyond the budget");
            assertTrue(stat("heap") < HEAP_BOUND_BYTES, "heap");
            health.assertHealthySoFar();
            for (SocketChannel channel : held) {
                channel.close();
            }
            held.clear();
            System.out.printf("[abuse] %d RESP connections stalled after 15 MiB of a 16 MiB SET: %d refused (budget %d bytes);"
                    + " slowest health check %d ms%n", connections, refused, budget, health.slowestMillis.get());
        }
    }

    /** Waits until at least {@code expected} of the held connections have been answered UNAVAILABLE and closed. */
    private int awaitRefusals(int expected, long timeoutMillis) throws IOException {
        FrameDecoder decoder = new FrameDecoder(FrameDescriptor.MAX_FRAME_BYTES_DEFAULT);
        return awaitRefusals(expected, timeoutMillis, received -> {
            io.kvs.net.protocol.Response response = decoder.decodeResponse(received);
            return response != null && response.errorCode() == FrameDescriptor.ERROR_UNAVAILABLE;
        });
    }

    /**
     * Waits until at least {@code expected} of the held connections have been closed after a
     * reply that {@code isRefusal} accepts.
     */
    private int awaitRefusals(int expected, long timeoutMillis, java.util.function.Predicate<ByteBuffer> isRefusal)
            throws IOException {
        java.util.Map<SocketChannel, ByteBuffer> received = new java.util.HashMap<>();
        int refused = 0;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        try (java.nio.channels.Selector selector = java.nio.channels.Selector.open()) {
            for (SocketChannel channel : held) {
                channel.configureBlocking(false);
                channel.register(selector, java.nio.channels.SelectionKey.OP_READ);
                received.put(channel, ByteBuffer.allocate(1024));
            }
            while (refused < expected && System.nanoTime() < deadline) {
                selector.select(100);
                for (java.nio.channels.SelectionKey key : selector.selectedKeys()) {
                    SocketChannel channel = (SocketChannel) key.channel();
                    ByteBuffer buffer = received.get(channel);
                    if (channel.read(buffer) < 0) {
                        key.cancel();
                        ByteBuffer reply = buffer.duplicate().flip();
                        assertTrue(isRefusal.test(reply.duplicate()), "closed without a refusal: "
                                + StandardCharsets.ISO_8859_1.decode(reply));
                        refused++;
                    }
                }
                selector.selectedKeys().clear();
            }
        }
        return refused;
    }

    private void awaitConnections(long expected, long timeoutMillis) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        long connections;
        do {
            connections = stat("connections");
            if (connections == expected) {
                return;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("connections " + connections + ", expected " + expected + " within " + timeoutMillis + " ms");
    }
}
