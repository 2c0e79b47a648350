package io.kvs.net;

import io.kvs.core.KeyNotFoundException;
import io.kvs.core.KvStoreOptions;
import io.kvs.core.KvsEngine;
import io.kvs.core.LimitExceededException;
import io.kvs.core.SyncPolicy;
import io.kvs.core.log.KvStore;
import io.kvs.net.protocol.FrameDescriptor;
import io.kvs.net.protocol.ProtocolException;
import io.kvs.net.protocol.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KvsClientTest {

    @TempDir
    Path dir;

    private KvsEngine engine() {
        return KvStore.open(dir, KvStoreOptions.defaults().withSyncPolicy(SyncPolicy.NEVER));
    }

    @Test
    void clientMirrorsTheEngineOverTheNetwork() {
        try (KvsEngine engine = engine();
             KvsServer server = KvsServer.start(engine, new InetSocketAddress("127.0.0.1", 0), ServerOptions.defaults());
             KvsClient client = KvsClient.connect(server.address())) {
            client.ping();
            client.set("key", "value");
            assertEquals(Optional.of("value"), client.get("key"));
            assertEquals(Optional.of("value"), engine.get("key"));
            client.remove("key");
            assertEquals(Optional.empty(), client.get("key"));
            KeyNotFoundException e = assertThrows(KeyNotFoundException.class, () -> client.remove("key"));
            assertEquals("key", e.key());
        }
    }

    @Test
    void pipelineAnswersInRequestOrderWithErrorsInPlace() {
        try (KvsEngine engine = engine();
             KvsServer server = KvsServer.start(engine, new InetSocketAddress("127.0.0.1", 0), ServerOptions.defaults());
             KvsClient client = KvsClient.connect(server.address())) {
            Pipeline pipeline = client.pipeline();
            for (int i = 0; i < 100; i++) {
                pipeline.set("k" + i, "v" + i).get("k" + i);
            }
            pipeline.remove("missing").ping();
            assertEquals(202, pipeline.size());
            List<Response> responses = pipeline.execute();
            assertEquals(202, responses.size());
            for (int i = 0; i < 100; i++) {
                assertEquals(Response.ok(), responses.get(2 * i));
                assertEquals(Response.value("v" + i), responses.get(2 * i + 1));
            }
            assertEquals(Response.notFound(), responses.get(200));
            assertEquals(Response.ok(), responses.get(201));
            assertEquals(0, pipeline.size());
        }
    }

    @Test
    void oversizedKeyIsRefusedBeforeSending() {
        try (KvsEngine engine = engine();
             KvsServer server = KvsServer.start(engine, new InetSocketAddress("127.0.0.1", 0), ServerOptions.defaults());
             KvsClient client = KvsClient.connect(server.address())) {
            assertThrows(LimitExceededException.class, () -> client.get("k".repeat(70_000)));
            client.ping();
        }
    }

    @Test
    void connectionRefusedIsAClearException() throws IOException {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        InetSocketAddress nobody = new InetSocketAddress("127.0.0.1", port);
        ConnectionFailedException e = assertThrows(ConnectionFailedException.class, () -> KvsClient.connect(nobody));
        assertTrue(e.getMessage().startsWith("cannot connect to 127.0.0.1:" + port), e.getMessage());
    }

    @Test
    void silentServerTimesOut() throws IOException {
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", silent.getLocalPort());
            try (KvsClient client = KvsClient.connect(address, Duration.ofMillis(300))) {
                RequestTimeoutException e = assertThrows(RequestTimeoutException.class, client::ping);
                assertTrue(e.getMessage().contains("within 300 ms"), e.getMessage());
            }
        }
    }

    @Test
    void serverThatSpeaksAnotherProtocolIsAProtocolError() throws Exception {
        try (ServerSocket impostor = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread answer = new Thread(() -> {
                try (Socket s = impostor.accept(); OutputStream out = s.getOutputStream()) {
                    out.write("HTTP/1.1 400 Bad Request\r\n\r\n".getBytes());
                    out.flush();
                    s.getInputStream().read();
                } catch (IOException ignored) {
                    // The client hangs up first.
                }
            });
            answer.start();
            try (KvsClient client = KvsClient.connect(new InetSocketAddress("127.0.0.1", impostor.getLocalPort()))) {
                assertThrows(ProtocolException.class, client::ping);
            }
            answer.join();
        }
    }

    /** Regression: a client talking to an HTTP server reported "frame length 1213486160 exceeds the limit". */
    @Test
    void httpServerIsReportedAsNotSpeakingTheKvsProtocol() throws Exception {
        assertMismatch("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void otherProtocolsAndShortRepliesAreReportedAsNotSpeakingTheKvsProtocol() throws Exception {
        assertMismatch("-ERR unknown command\r\n".getBytes(StandardCharsets.US_ASCII)); // Redis
        assertMismatch("SSH-2.0-OpenSSH_9.2\r\n".getBytes(StandardCharsets.US_ASCII));
        assertMismatch("no".getBytes(StandardCharsets.US_ASCII));       // two bytes, then end of stream
        assertMismatch(RawConnection.hex("00000002 07 00"));             // a plausible length, another version
        assertMismatch(RawConnection.hex("00000002 01 09"));             // an unknown status
    }

    private static void assertMismatch(byte[] reply) throws Exception {
        try (ServerSocket impostor = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread answer = new Thread(() -> {
                try (Socket s = impostor.accept(); OutputStream out = s.getOutputStream()) {
                    out.write(reply);
                    out.flush();
                    s.shutdownOutput();
                    s.getInputStream().read();
                } catch (IOException ignored) {
                    // The client hangs up first.
                }
            });
            answer.start();
            String address = "127.0.0.1:" + impostor.getLocalPort();
            try (KvsClient client = KvsClient.connect(new InetSocketAddress("127.0.0.1", impostor.getLocalPort()))) {
                ProtocolMismatchException e = assertThrows(ProtocolMismatchException.class, () -> client.get("k"));
                assertEquals("the server at " + address + " does not speak the kvs protocol", e.getMessage());
                assertEquals(address, e.address());
            }
            answer.join();
        }
    }

    @Test
    void aKvsServerThatBreaksTheProtocolLaterIsAProtocolErrorNotAMismatch() throws Exception {
        try (ServerSocket liar = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread answer = new Thread(() -> {
                try (Socket s = liar.accept(); OutputStream out = s.getOutputStream()) {
                    s.getInputStream().readNBytes(6);
                    out.write(RawConnection.hex("00000002 01 00"));            // OK to the first PING
                    s.getInputStream().readNBytes(6);
                    out.write(RawConnection.hex("7fffffff 01 00"));            // then an absurd length
                    out.flush();
                    s.getInputStream().read();
                } catch (IOException ignored) {
                    // The client hangs up first.
                }
            });
            answer.start();
            try (KvsClient client = KvsClient.connect(new InetSocketAddress("127.0.0.1", liar.getLocalPort()))) {
                client.ping();
                ProtocolException e = assertThrows(ProtocolException.class, client::ping);
                assertFalse(e instanceof ProtocolMismatchException, e.toString());
            }
            answer.join();
        }
    }

    @Test
    void timeoutsOutOfRangeAreRefused() {
        InetSocketAddress anywhere = new InetSocketAddress("127.0.0.1", 1);
        assertThrows(IllegalArgumentException.class, () -> KvsClient.connect(anywhere, Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> KvsClient.connect(anywhere, Duration.ofNanos(1)));
        assertThrows(IllegalArgumentException.class, () -> KvsClient.connect(anywhere, KvsClient.TIMEOUT_MAX.plusMillis(1)));
    }

    @Test
    void serverClosingTheConnectionIsAConnectionFailure() {
        KvsEngine engine = engine();
        KvsServer server = KvsServer.start(engine, new InetSocketAddress("127.0.0.1", 0), ServerOptions.defaults());
        try (KvsClient client = KvsClient.connect(server.address())) {
            client.ping();
            server.close();
            engine.close();
            assertThrows(ConnectionFailedException.class, client::ping);
        }
    }

    @Test
    void serverErrorCarriesItsCode() {
        ServerErrorException e = new ServerErrorException(FrameDescriptor.ERROR_STORAGE, "disk full");
        assertEquals(FrameDescriptor.ERROR_STORAGE, e.errorCode());
        assertEquals("server error: disk full", e.getMessage());
    }
}
