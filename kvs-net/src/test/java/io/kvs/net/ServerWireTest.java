package io.kvs.net;

import io.kvs.core.KvStoreOptions;
import io.kvs.core.KvsEngine;
import io.kvs.core.KvsLimits;
import io.kvs.core.SyncPolicy;
import io.kvs.core.log.KvStore;
import io.kvs.net.protocol.FrameDescriptor;
import io.kvs.net.protocol.FrameEncoder;
import io.kvs.net.protocol.Request;
import io.kvs.net.protocol.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static io.kvs.net.RawConnection.concat;
import static io.kvs.net.RawConnection.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The server seen through raw bytes on a socket: every opcode, pipelining, and hostile input,
 * after each of which the server still serves a normal request on a new connection.
 */
class ServerWireTest {

    private static final int TIMEOUT_MILLIS = 10_000;

    @TempDir
    Path dir;
    private KvsEngine engine;
    private KvsServer server;

    @BeforeEach
    void start() {
        engine = KvStore.open(dir, KvStoreOptions.defaults().withSyncPolicy(SyncPolicy.NEVER));
        server = KvsServer.start(engine, new InetSocketAddress("127.0.0.1", 0),
                ServerOptions.defaults().withFrameTimeout(Duration.ofMillis(500)));
    }

    @AfterEach
    void stop() {
        server.close();
        engine.close();
    }

    private RawConnection connect() throws IOException {
        return new RawConnection(server.address(), TIMEOUT_MILLIS);
    }

    private static byte[] frame(Request request) {
        return FrameEncoder.encodeRequest(request);
    }

    @Test
    void hexExampleFromProtocolDocRoundTrips() throws IOException {
        try (RawConnection c = connect()) {
            c.send(hex("0000000c 01 01 00000001 61 68 65 6c 6c 6f"));
            assertArrayEquals(hex("00000002 01 00"), c.readBytes(6));
            c.send(hex("00000003 01 02 61"));
            assertArrayEquals(hex("00000007 01 01 68 65 6c 6c 6f"), c.readBytes(11));
            c.send(hex("00000003 01 02 62"));
            assertArrayEquals(hex("00000002 01 02"), c.readBytes(6));
        }
    }

    @Test
    void everyOpcodeAnswersAsSpecified() throws IOException {
        try (RawConnection c = connect()) {
            c.send(frame(Request.ping()));
            assertEquals(Response.ok(), c.readResponse());
            c.send(frame(Request.set("ключ", "значение 🔑")));
            assertEquals(Response.ok(), c.readResponse());
            c.send(frame(Request.get("ключ")));
            assertEquals(Response.value("значение 🔑"), c.readResponse());
            c.send(frame(Request.remove("ключ")));
            assertEquals(Response.ok(), c.readResponse());
            c.send(frame(Request.get("ключ")));
            assertEquals(Response.notFound(), c.readResponse());
            c.send(frame(Request.remove("ключ")));
            assertEquals(Response.notFound(), c.readResponse());
            c.send(frame(Request.set("", "")));
            assertEquals(Response.ok(), c.readResponse());
            c.send(frame(Request.get("")));
            assertEquals(Response.value(""), c.readResponse());
        }
    }

    @Test
    void thousandPipelinedRequestsAreAnsweredInOrder() throws IOException {
        ByteArrayOutputStream batch = new ByteArrayOutputStream();
        for (int i = 0; i < 500; i++) {
            batch.writeBytes(frame(Request.set("key" + i, "value" + i)));
            batch.writeBytes(frame(Request.get("key" + i)));
        }
        try (RawConnection c = connect()) {
            c.send(batch.toByteArray());
            for (int i = 0; i < 500; i++) {
                assertEquals(Response.ok(), c.readResponse(), "set " + i);
                assertEquals(Response.value("value" + i), c.readResponse(), "get " + i);
            }
        }
    }

    @Test
    void largeValueInSmallPiecesIsReassembled() throws IOException, InterruptedException {
        String value = "v".repeat(3 * 1024 * 1024);
        byte[] bytes = frame(Request.set("big", value));
        try (RawConnection c = connect()) {
            for (int at = 0; at < bytes.length; at += 100_000) {
                c.send(java.util.Arrays.copyOfRange(bytes, at, Math.min(bytes.length, at + 100_000)));
            }
            assertEquals(Response.ok(), c.readResponse());
            c.send(frame(Request.get("big")));
            assertEquals(Response.value(value), c.readResponse());
        }
    }

    @Test
    void oversizedKeyWithinFrameLimitIsAnErrorAndTheConnectionStaysOpen() throws IOException {
        try (RawConnection c = connect()) {
            c.send(frame(Request.get("k")));
            assertEquals(Response.notFound(), c.readResponse());
            byte[] key = "k".repeat(KvsLimits.MAX_KEY_BYTES + 1).getBytes(StandardCharsets.UTF_8);
            ByteBuffer get = ByteBuffer.allocate(6 + key.length).putInt(2 + key.length).put((byte) 1).put((byte) 2).put(key);
            c.send(get.array());
            Response response = c.readResponse();
            assertEquals(FrameDescriptor.ERROR_LIMIT_EXCEEDED, response.errorCode(), response.toString());
            c.send(frame(Request.ping()));
            assertEquals(Response.ok(), c.readResponse());
        }
    }

    static Stream<byte[]> hostileFrames() {
        byte[] random = new byte[4096];
        new Random(42).nextBytes(random);
        // A connection whose first byte is not 0x00 or 0x01 speaks RESP (RespAbuseTest), so every
        // hostile frame here starts with one of those.
        random[0] = 0x01;
        random[1] = (byte) 0xff; // a length above the limit: refused at once
        return Stream.of(
                hex("01ffffff 01 01"),                     // length above the limit
                hex("00000000"),                           // length below the minimum
                hex("00000001 01"),                        // length below the minimum
                hex("00000002 01 7f"),                     // unknown opcode
                hex("00000003 09 02 61"),                  // unknown version
                hex("00000004 01 02 c3 28"),               // invalid UTF-8 in key
                hex("00000004 01 02 ed a0 80"),            // encoded surrogate in key
                hex("0000000a 01 01 000000ff 61 62 63 64"), // key length beyond the frame
                hex("00000004 01 01 0000"),                // SET too short for key length
                hex("00000003 01 04 00"),                  // PING with a payload
                random);
    }

    @ParameterizedTest
    @MethodSource("hostileFrames")
    void hostileFrameGetsAnErrorThenTheConnectionClosesAndOthersStillWork(byte[] hostile) throws IOException {
        try (RawConnection bystander = connect(); RawConnection c = connect()) {
            c.send(hostile);
            Response response = c.readResponse();
            assertEquals(FrameDescriptor.STATUS_ERROR, response.status(), response.toString());
            assertEquals(FrameDescriptor.ERROR_BAD_REQUEST, response.errorCode(), response.toString());
            assertTrue(c.closedByServer(), "connection still open after " + response.message());
            bystander.send(frame(Request.ping()));
            assertEquals(Response.ok(), bystander.readResponse());
        }
        assertServerHealthy();
    }

    @Test
    void truncatedFrameThenSilenceIsClosedAfterTheFrameTimeout() throws IOException {
        try (RawConnection c = connect()) {
            c.send(hex("00000010 01 01 0000"));
            long start = System.nanoTime();
            assertTrue(c.closedByServer(), "truncated frame kept open");
            long waitedMillis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(waitedMillis >= 300 && waitedMillis < TIMEOUT_MILLIS, "closed after " + waitedMillis + " ms");
        }
        assertServerHealthy();
    }

    @Test
    void announcedLengthIsNotAllocatedUpFront() throws IOException {
        // 200 connections each announce a 16 MiB frame and send 10 bytes of it.
        java.util.List<RawConnection> stalled = new java.util.ArrayList<>();
        try {
            Runtime.getRuntime().gc();
            long before = usedHeap();
            for (int i = 0; i < 200; i++) {
                RawConnection c = connect();
                c.send(concat(hex("01000000 01 01 00000001"), "abcd".getBytes(StandardCharsets.US_ASCII)));
                stalled.add(c);
            }
            assertServerHealthy();
            long grown = usedHeap() - before;
            assertTrue(grown < 200L * 1024 * 1024, "heap grew by " + grown + " bytes");
        } finally {
            for (RawConnection c : stalled) {
                c.close();
            }
        }
    }

    @Test
    void connectionsOverTheLimitAreRefusedWithAnError() throws IOException {
        try (KvsServer small = KvsServer.start(engine, new InetSocketAddress("127.0.0.1", 0),
                ServerOptions.defaults().withMaxConnections(2))) {
            try (RawConnection a = new RawConnection(small.address(), TIMEOUT_MILLIS);
                 RawConnection b = new RawConnection(small.address(), TIMEOUT_MILLIS)) {
                a.send(frame(Request.ping()));
                assertEquals(Response.ok(), a.readResponse());
                b.send(frame(Request.ping()));
                assertEquals(Response.ok(), b.readResponse());
                try (RawConnection c = new RawConnection(small.address(), TIMEOUT_MILLIS)) {
                    Response refused = c.readResponse();
                    assertEquals(FrameDescriptor.ERROR_UNAVAILABLE, refused.errorCode(), refused.toString());
                    assertTrue(c.closedByServer());
                }
            }
            // Slots free up when connections close.
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (small.openConnections() > 0 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            try (RawConnection again = new RawConnection(small.address(), TIMEOUT_MILLIS)) {
                again.send(frame(Request.ping()));
                assertEquals(Response.ok(), again.readResponse());
            }
        }
    }

    @Test
    void idleConnectionIsClosedAfterTheIdleTimeout() throws IOException {
        try (KvsServer idle = KvsServer.start(engine, new InetSocketAddress("127.0.0.1", 0),
                ServerOptions.defaults().withIdleTimeout(Duration.ofMillis(500)));
             RawConnection c = new RawConnection(idle.address(), TIMEOUT_MILLIS)) {
            c.send(frame(Request.ping()));
            assertEquals(Response.ok(), c.readResponse());
            assertTrue(c.closedByServer());
        }
    }

    /**
     * Regression: partial frames had no bound in total, so connections that each sent most of a
     * large SET and stalled ran the server out of heap and killed its event loop. Now the
     * connection the budget has no room for is answered UNAVAILABLE and closed; the others, and
     * the server, carry on.
     */
    @Test
    void stalledFramesBeyondThePartialFrameBudgetAreRefusedAndOthersCarryOn() throws IOException {
        // A frame of exactly 1 MiB, sent but for its last byte: each held connection's buffer
        // grows (doubling) to exactly the frame's size, and three of them leave a 4 MiB budget
        // less room than the fourth needs for its next larger buffer.
        int frameBytes = 1 << 20;
        byte[] set = frame(Request.set("k", "v".repeat(frameBytes - FrameDescriptor.SET_OVERHEAD_BYTES - 1)));
        assertEquals(frameBytes, set.length);
        int sent = frameBytes - 1;
        try (KvsServer small = KvsServer.start(engine, new InetSocketAddress("127.0.0.1", 0),
                ServerOptions.defaults().withPartialFrameBudgetBytes(4L << 20))) {
            java.util.List<RawConnection> held = new java.util.ArrayList<>();
            try {
                for (int i = 1; i <= 3; i++) {
                    RawConnection c = new RawConnection(small.address(), TIMEOUT_MILLIS);
                    held.add(c);
                    c.send(java.util.Arrays.copyOf(set, sent));
                    awaitBuffered(small, (long) i * set.length);
                }
                try (RawConnection refused = new RawConnection(small.address(), TIMEOUT_MILLIS)) {
                    refused.send(java.util.Arrays.copyOf(set, sent));
                    Response response = refused.readResponse();
                    assertEquals(FrameDescriptor.ERROR_UNAVAILABLE, response.errorCode(), response.toString());
                    assertTrue(response.message().contains("budget"), response.message());
                    assertTrue(refused.closedByServer(), "refused connection still open");
                }
                assertTrue(small.bufferedInputBytes() <= 4L << 20);
                for (RawConnection c : held) {
                    c.send(java.util.Arrays.copyOfRange(set, sent, set.length));
                    assertEquals(Response.ok(), c.readResponse());
                }
                awaitBuffered(small, 0);
                try (KvsClient client = KvsClient.connect(small.address())) {
                    client.set("whole", "w".repeat(frameBytes));
                    assertEquals(frameBytes, client.get("whole").orElseThrow().length());
                }
            } finally {
                for (RawConnection c : held) {
                    c.close();
                }
            }
        }
        assertServerHealthy();
    }

    private static void awaitBuffered(KvsServer server, long bytes) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MILLIS);
        while (server.bufferedInputBytes() != bytes && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertEquals(bytes, server.bufferedInputBytes(), "bytes of input buffers held");
    }

    /**
     * Regression: the server closed a connection right after its error response while unread
     * input was still arriving, which resets the connection, and the client could lose the
     * response. Now output is shut down after the response and the rest of the input drained.
     */
    @Test
    void protocolViolationIsAnsweredThenEndOfStreamWhileTheClientKeepsSending() throws IOException {
        byte[] junk = new byte[2 << 20];
        new Random(7).nextBytes(junk);
        try (RawConnection c = connect()) {
            c.send(concat(hex("00000002 01 7f"), junk));
            Response response = c.readResponse();
            assertEquals(FrameDescriptor.ERROR_BAD_REQUEST, response.errorCode(), response.toString());
            assertTrue(c.endOfStream(), "expected end of stream after the error response");
        }
        assertServerHealthy();
    }

    private void assertServerHealthy() throws IOException {
        try (RawConnection c = connect()) {
            c.send(frame(Request.set("health", "ok")));
            assertEquals(Response.ok(), c.readResponse());
            c.send(frame(Request.get("health")));
            assertEquals(Response.value("ok"), c.readResponse());
        }
    }

    private static long usedHeap() {
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
