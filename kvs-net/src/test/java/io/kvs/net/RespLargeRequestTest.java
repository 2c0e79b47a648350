package io.kvs.net;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Large RESP requests arriving in many small pieces, as a slow or chunking client sends them:
 * the server answers them once they are complete, whatever the size of the pieces.
 */
class RespLargeRequestTest {

    private static final int TIMEOUT_MILLIS = 20_000;
    private static final int PIECE_BYTES = 1_500;

    private LoopbackServer server;

    @BeforeEach
    void start() {
        server = LoopbackServer.start(ServerOptions.defaults());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static void bulk(ByteArrayOutputStream out, byte[] argument) {
        out.writeBytes(ascii("$" + argument.length + "\r\n"));
        out.writeBytes(argument);
        out.writeBytes(ascii("\r\n"));
    }

    private static void sendInPieces(RawConnection connection, byte[] request) throws IOException {
        for (int at = 0; at < request.length; at += PIECE_BYTES) {
            connection.send(Arrays.copyOfRange(request, at, Math.min(request.length, at + PIECE_BYTES)));
        }
    }

    /**
     * Regression: the input buffer of an array request grew only to the end of the argument
     * that was arriving, so each piece cost a copy of the whole buffer; an MSET of 2.5 MB never
     * completed (the frame timeout closed it after 30 s) and one of 127 KB took 2 s.
     */
    @Test
    void anMsetOfTwentyThousandKeysSentInSmallPiecesIsAnswered() throws IOException {
        int keys = 20_000;
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.writeBytes(ascii("*" + (1 + 2 * keys) + "\r\n"));
        bulk(request, ascii("MSET"));
        byte[] value = new byte[100];
        Arrays.fill(value, (byte) 'v');
        for (int i = 0; i < keys; i++) {
            bulk(request, ascii(String.format("key:%08d", i)));
            bulk(request, value);
        }
        try (RawConnection c = new RawConnection(server.address(), TIMEOUT_MILLIS)) {
            sendInPieces(c, request.toByteArray());
            assertEquals("+OK", c.readLine());
            c.send(ascii("DBSIZE\r\nGET key:00019999\r\n"));
            assertEquals(":" + keys, c.readLine());
            assertEquals("$100", c.readLine());
            assertEquals(new String(value, StandardCharsets.ISO_8859_1), c.readLine());
        }
    }

    @Test
    void aFourMegabyteValueSentInSmallPiecesIsStoredWhole() throws IOException {
        byte[] value = new byte[4 << 20];
        for (int i = 0; i < value.length; i++) {
            value[i] = (byte) ('a' + i % 26);
        }
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.writeBytes(ascii("*3\r\n"));
        bulk(request, ascii("SET"));
        bulk(request, ascii("large"));
        bulk(request, value);
        try (RawConnection c = new RawConnection(server.address(), TIMEOUT_MILLIS)) {
            sendInPieces(c, request.toByteArray());
            assertEquals("+OK", c.readLine());
            c.send(ascii("GET large\r\n"));
            assertEquals("$" + value.length, c.readLine());
            assertArrayEquals(value, c.readBytes(value.length));
        }
    }
}
