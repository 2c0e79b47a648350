package io.kvs.net.protocol;

import io.kvs.core.KvsEngineContract;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The frame layout pinned to docs/PROTOCOL.md, and decode(encode(x)) == x. */
class FrameCodecTest {

    private final FrameDecoder decoder = new FrameDecoder(FrameDescriptor.MAX_FRAME_BYTES_DEFAULT);

    @Test
    void constantsMatchProtocolDoc() {
        assertEquals(0, FrameDescriptor.LENGTH_OFFSET);
        assertEquals(4, FrameDescriptor.LENGTH_FIELD_BYTES);
        assertEquals(4, FrameDescriptor.VERSION_OFFSET);
        assertEquals(5, FrameDescriptor.TYPE_OFFSET);
        assertEquals(6, FrameDescriptor.OPERANDS_OFFSET);
        assertEquals(2, FrameDescriptor.MIN_LENGTH);
        assertEquals(1, FrameDescriptor.VERSION);
        assertEquals(1, FrameDescriptor.OP_SET);
        assertEquals(2, FrameDescriptor.OP_GET);
        assertEquals(3, FrameDescriptor.OP_REMOVE);
        assertEquals(4, FrameDescriptor.OP_PING);
        assertEquals(0, FrameDescriptor.STATUS_OK);
        assertEquals(1, FrameDescriptor.STATUS_VALUE);
        assertEquals(2, FrameDescriptor.STATUS_NOT_FOUND);
        assertEquals(3, FrameDescriptor.STATUS_ERROR);
        assertEquals(1, FrameDescriptor.ERROR_BAD_REQUEST);
        assertEquals(2, FrameDescriptor.ERROR_LIMIT_EXCEEDED);
        assertEquals(3, FrameDescriptor.ERROR_STORAGE);
        assertEquals(4, FrameDescriptor.ERROR_UNAVAILABLE);
        assertEquals(5, FrameDescriptor.ERROR_INTERNAL);
        assertEquals(6, FrameDescriptor.ERROR_CORRUPTION);
        assertEquals(16_842_762, FrameDescriptor.MAX_FRAME_BYTES_DEFAULT);
    }

    @Test
    void incompleteFrameIsNullAndLeavesTheBufferAlone() {
        byte[] frame = FrameEncoder.encodeRequest(Request.set("key", "value"));
        for (int cut = 0; cut < frame.length; cut++) {
            ByteBuffer partial = ByteBuffer.wrap(Arrays.copyOf(frame, cut));
            assertNull(decoder.decodeRequest(partial));
            assertEquals(0, partial.position());
        }
    }

    @Test
    void lengthOverTheLimitIsRefusedFromTheHeaderAlone() {
        FrameDecoder small = new FrameDecoder(100);
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> small.decodeRequest(ByteBuffer.wrap(new byte[]{0, 0, 0, 101})));
        assertEquals("frame length 101 exceeds the limit of 100 bytes", e.getMessage());
    }

    @Property(tries = 300)
    void requestsRoundTrip(@ForAll("requests") Request request) {
        ByteBuffer buffer = ByteBuffer.wrap(FrameEncoder.encodeRequest(request));
        assertEquals(request, decoder.decodeRequest(buffer));
        assertEquals(0, buffer.remaining());
    }

    @Property(tries = 300)
    void responsesRoundTrip(@ForAll("responses") Response response) {
        ByteBuffer buffer = ByteBuffer.wrap(FrameEncoder.encodeResponse(response));
        assertEquals(response, decoder.decodeResponse(buffer));
        assertEquals(0, buffer.remaining());
    }

    @Provide
    Arbitrary<Request> requests() {
        Arbitrary<String> strings = Arbitraries.strings().ofMaxLength(50).filter(KvsEngineContract::validUnicode);
        return Arbitraries.oneOf(
                Arbitraries.just(Request.ping()),
                strings.map(Request::get),
                strings.map(Request::remove),
                strings.flatMap(k -> strings.map(v -> Request.set(k, v))));
    }

    @Provide
    Arbitrary<Response> responses() {
        Arbitrary<String> strings = Arbitraries.strings().ofMaxLength(50).filter(KvsEngineContract::validUnicode);
        return Arbitraries.oneOf(
                Arbitraries.just(Response.ok()),
                Arbitraries.just(Response.notFound()),
                strings.map(Response::value),
                Arbitraries.bytes().flatMap(code -> strings.map(m -> Response.error(code, m))));
    }

}
