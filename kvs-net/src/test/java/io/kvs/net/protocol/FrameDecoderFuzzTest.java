package io.kvs.net.protocol;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzzing of the frame decoder with Jazzer. In a normal test run each target replays the
 * committed seed inputs (src/test/resources/io/kvs/net/protocol/FrameDecoderFuzzTestInputs);
 * with {@code JAZZER_FUZZ=1} it fuzzes (see docs/RELIABILITY.md for the command).
 */
class FrameDecoderFuzzTest {

    /** A small limit, so that the fuzzer reaches it. */
    private static final int LIMIT = 256;

    /**
     * Any bytes: the decoder either returns frames, says "incomplete", or throws
     * {@link ProtocolException}; nothing else. Nothing it returns is larger than the limit.
     */
    @FuzzTest(maxDuration = "10m")
    void decodingArbitraryBytesOnlyEverThrowsProtocolException(byte[] input) {
        FrameDecoder decoder = new FrameDecoder(LIMIT);
        ByteBuffer buffer = ByteBuffer.wrap(input);
        try {
            while (buffer.hasRemaining()) {
                int before = buffer.position();
                int size = decoder.frameSize(buffer);
                assertTrue(size <= LIMIT + FrameDescriptor.LENGTH_FIELD_BYTES, "frame size " + size + " over the limit");
                Request request = decoder.decodeRequest(buffer);
                if (request == null) {
                    assertEquals(before, buffer.position(), "an incomplete frame must not be consumed");
                    break;
                }
                int operands = (request.key() == null ? 0 : request.key().length()) + (request.value() == null ? 0 : request.value().length());
                assertTrue(operands <= LIMIT, "decoded more chars than the frame can hold");
            }
        } catch (ProtocolException expected) {
            // The declared outcome of bad input.
        }
        ByteBuffer responses = ByteBuffer.wrap(input);
        try {
            while (decoder.decodeResponse(responses) != null) {
                assertTrue(responses.position() <= input.length);
            }
        } catch (ProtocolException expected) {
            // The declared outcome of bad input.
        }
    }

    /** decode(encode(request)) == request for every request the encoder accepts. */
    @FuzzTest(maxDuration = "10m")
    void requestsRoundTrip(FuzzedDataProvider data) {
        byte opcode = (byte) (1 + data.consumeInt(0, 3));
        String key = data.consumeString(60);
        String value = data.consumeRemainingAsString();
        Request request = switch (opcode) {
            case FrameDescriptor.OP_SET -> Request.set(key, value);
            case FrameDescriptor.OP_GET -> Request.get(key);
            case FrameDescriptor.OP_REMOVE -> Request.remove(key);
            default -> Request.ping();
        };
        byte[] frame;
        try {
            frame = FrameEncoder.encodeRequest(request);
        } catch (io.kvs.core.InvalidStringException | io.kvs.core.LimitExceededException refused) {
            return; // the encoder refuses what has no valid encoding
        }
        FrameDecoder decoder = new FrameDecoder(FrameDescriptor.MAX_FRAME_BYTES_DEFAULT);
        ByteBuffer buffer = ByteBuffer.wrap(frame);
        assertEquals(request, decoder.decodeRequest(buffer));
        assertEquals(0, buffer.remaining());
    }
}
