package io.kvs.net;

import io.kvs.net.resp.RespDecoder;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The RESP codec's sizing of a request still arriving, with a decoder shared by a loop's connections. */
class RespCodecTest {

    private static ByteBuffer ascii(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * Regression: the codec answered with the size of the request the shared decoder saw last,
     * which may be another connection's: a large request arriving in pieces between another
     * connection's requests had its buffer grown by a byte at a time.
     */
    @Test
    void aRequestIsSizedByItsOwnHeadersWhateverTheDecoderSawLast() {
        RespDecoder shared = new RespDecoder(1 << 24, 1 << 25);
        RespCodec large = new RespCodec(shared);
        RespCodec small = new RespCodec(shared);
        String header = "*3\r\n$3\r\nSET\r\n$5\r\nlarge\r\n$1000000\r\n";
        ByteBuffer largeInput = ascii(header + "vvvv");
        ByteBuffer smallInput = ascii("*2\r\n$3\r\nGET\r\n$1");
        assertEquals(null, shared.decode(largeInput.duplicate(), true));
        assertEquals(null, shared.decode(smallInput.duplicate(), true));
        assertEquals(header.length() + 1_000_000 + 2, large.bytesNeeded(largeInput));
        assertEquals(smallInput.remaining() + 1, small.bytesNeeded(smallInput));
    }
}
