package io.kvs.net;

import io.kvs.net.resp.RespDecoder;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The RESP codec's bound on a request still arriving, with a decoder shared by a loop's connections. */
class RespCodecTest {

    private static final int MAX_BULK = 1 << 24;
    private static final int MAX_REQUEST = 1 << 25;
    /** The bound for an array whose headers do not tell its size yet. */
    private static final int ARRAY_BOUND = MAX_REQUEST + RespDecoder.MAX_LINE_BYTES + 2;

    private static ByteBuffer ascii(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * Regression: the codec answered with the size of the request the shared decoder saw last,
     * which may be another connection's: a large request arriving in pieces between another
     * connection's requests had its buffer grown by a byte at a time.
     */
    @Test
    void aRequestIsBoundedByItsOwnHeadersWhateverTheDecoderSawLast() {
        RespDecoder shared = new RespDecoder(MAX_BULK, MAX_REQUEST);
        RespCodec large = new RespCodec(shared);
        RespCodec small = new RespCodec(shared);
        String header = "*3\r\n$3\r\nSET\r\n$5\r\nlarge\r\n$1000000\r\n";
        ByteBuffer largeInput = ascii(header + "vvvv");
        ByteBuffer smallInput = ascii("*2\r\n$3\r\nGET\r\n$1");
        assertEquals(null, shared.decode(largeInput.duplicate(), true));
        assertEquals(null, shared.decode(smallInput.duplicate(), true));
        assertEquals(header.length() + 1_000_000 + 2, large.bytesAtMost(largeInput));
        assertEquals(ARRAY_BOUND, small.bytesAtMost(smallInput));
    }

    /**
     * Regression: while the last argument's header had not arrived, the codec gave what was
     * there plus the current argument, so the loop grew the buffer of a 2.5 MB MSET a few bytes
     * at a time, copying it once per piece, and the request never completed.
     */
    @Test
    void anArrayWhoseLastHeaderHasNotArrivedIsBoundedByTheLimitNotByWhatIsThere() {
        RespCodec codec = new RespCodec(new RespDecoder(MAX_BULK, MAX_REQUEST));
        assertEquals(ARRAY_BOUND, codec.bytesAtMost(ascii("*5\r\n$4\r\nMSET\r\n$1\r\nk\r\n$3\r\nv")));
        assertEquals(ARRAY_BOUND, codec.bytesAtMost(ascii("*5\r\n$4\r\nMSET\r\n$1\r\nk\r\n$3\r\nval\r\n")));
        assertEquals(ARRAY_BOUND, codec.bytesAtMost(ascii("*5")));
    }

    /** An inline request needs at most a line of the longest length and its newline (one byte more is refused). */
    @Test
    void anInlineRequestIsBoundedByTheLineLimit() {
        RespCodec codec = new RespCodec(new RespDecoder(MAX_BULK, MAX_REQUEST));
        assertEquals(RespDecoder.MAX_LINE_BYTES + 1, codec.bytesAtMost(ascii("SET key")));
    }
}
