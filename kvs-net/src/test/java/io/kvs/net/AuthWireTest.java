package io.kvs.net;

import io.kvs.net.protocol.FrameDescriptor;
import io.kvs.net.protocol.FrameEncoder;
import io.kvs.net.protocol.Request;
import io.kvs.net.protocol.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A server with a password, in both protocols: nothing but AUTH (and in RESP HELLO, QUIT, RESET)
 * runs before the connection authenticates, and requests are held to small limits until then.
 */
class AuthWireTest {

    private static final String PASSWORD = "pässword";

    private LoopbackServer server;

    @BeforeEach
    void start() {
        server = LoopbackServer.withPassword(PASSWORD);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void kvsRequestsAreRefusedWithTheAuthCodeUntilTheRightPassword() {
        try (KvsClient client = KvsClient.connect(server.address())) {
            ServerErrorException refused = assertThrows(ServerErrorException.class, () -> client.get("k"));
            assertEquals(FrameDescriptor.ERROR_AUTH, refused.errorCode());
            ServerErrorException wrong = assertThrows(ServerErrorException.class, () -> client.auth("guess"));
            assertEquals(FrameDescriptor.ERROR_AUTH, wrong.errorCode());
            client.auth(PASSWORD);
            client.set("k", "v");
            assertEquals(Optional.of("v"), client.get("k"));
        }
    }

    @Test
    void aLargeKvsFrameBeforeAuthenticationIsAViolation() throws IOException {
        try (RawConnection c = new RawConnection(server.address(), 10_000)) {
            c.send(FrameEncoder.encodeRequest(Request.set("k", "x".repeat(20_000))));
            Response response = c.readResponse();
            assertEquals(FrameDescriptor.ERROR_BAD_REQUEST, response.errorCode(), response.toString());
            assertTrue(c.closedByServer());
        }
    }

    @Test
    void requestsAfterResetInTheSamePacketAreDecodedAndRunUnauthenticated() throws IOException {
        try (RawConnection c = new RawConnection(server.address(), 10_000)) {
            c.send(("AUTH " + PASSWORD + "\r\n").getBytes(StandardCharsets.UTF_8));
            assertEquals("+OK", c.readLine());
            c.send(("SET k v\r\n*2\r\n$3\r\nGET\r\n$1\r\nk\r\nRESET\r\n*2\r\n$3\r\nGET\r\n$1\r\nk\r\n"
                    + "*2\r\n$3\r\nGET\r\n$20000\r\n" + "k".repeat(20_000) + "\r\n").getBytes(StandardCharsets.UTF_8));
            assertEquals("+OK", c.readLine());
            assertEquals("$1", c.readLine());
            assertEquals("v", c.readLine());
            assertEquals("+RESET", c.readLine());
            assertEquals("-NOAUTH Authentication required.", c.readLine());
            // Decoded with the tighter limits again, though it came in the same packet as RESET.
            assertEquals("-ERR Protocol error: unauthenticated bulk length", c.readLine());
            assertTrue(c.closedByServer());
        }
    }

    @Test
    void respBeforeAuthenticationHasRedissTighterLimits() throws IOException {
        try (RawConnection c = new RawConnection(server.address(), 10_000)) {
            c.send("*11\r\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals("-ERR Protocol error: unauthenticated multibulk length", c.readLine());
            assertTrue(c.closedByServer());
        }
        try (RawConnection c = new RawConnection(server.address(), 10_000)) {
            c.send("*2\r\n$3\r\nGET\r\n$20000\r\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals("-ERR Protocol error: unauthenticated bulk length", c.readLine());
            assertTrue(c.closedByServer());
        }
        try (RawConnection c = new RawConnection(server.address(), 10_000)) {
            c.send(("AUTH " + PASSWORD + "\r\n*2\r\n$3\r\nGET\r\n$20000\r\n" + "k".repeat(20_000) + "\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            assertEquals("+OK", c.readLine());
            assertEquals("$-1", c.readLine());
        }
    }
}
