package io.kvs.net.resp;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.kvs.net.protocol.ProtocolException;

import java.nio.ByteBuffer;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzzing of the RESP decoder with Jazzer, like the frame decoder's. In a normal test run each
 * target replays the committed seed inputs (src/test/resources/io/kvs/net/resp/RespDecoderFuzzTestInputs);
 * with {@code JAZZER_FUZZ=1} it fuzzes (see docs/RELIABILITY.md).
 */
class RespDecoderFuzzTest {

    /** Small limits, so that the fuzzer reaches them. */
    private static final int MAX_BULK = 64;
    private static final int MAX_REQUEST = 256;

    /**
     * Any bytes, authenticated or not: the decoder returns requests, says "incomplete" without
     * moving, or throws {@link ProtocolException}; nothing else. No request it returns is larger
     * than the limits allow.
     */
    @FuzzTest(maxDuration = "10m")
    void decodingArbitraryBytesOnlyEverThrowsProtocolException(byte[] input) {
        for (boolean authenticated : new boolean[] {true, false}) {
            RespDecoder decoder = new RespDecoder(MAX_BULK, MAX_REQUEST);
            ByteBuffer buffer = ByteBuffer.wrap(input);
            try {
                while (buffer.hasRemaining()) {
                    int before = buffer.position();
                    List<byte[]> arguments = decoder.decode(buffer, authenticated);
                    if (arguments == null) {
                        assertEquals(before, buffer.position(), "an incomplete request must not be consumed");
                        assertTrue(decoder.bytesAtMost() > buffer.remaining(), "may need more than is there");
                        break;
                    }
                    assertTrue(buffer.position() > before, "a request consumes bytes");
                    boolean inline = input[before] != '*';
                    long total = 0;
                    for (byte[] argument : arguments) {
                        assertTrue(inline || argument.length <= MAX_BULK, "argument over the bulk limit");
                        assertTrue(authenticated || inline || argument.length <= RespDecoder.UNAUTHENTICATED_MAX_BULK_BYTES);
                        total += argument.length;
                    }
                    assertTrue(inline ? total <= RespDecoder.MAX_LINE_BYTES : total <= MAX_REQUEST, "request over the limit");
                    assertTrue(authenticated || inline || arguments.size() <= RespDecoder.UNAUTHENTICATED_MAX_ARGUMENTS);
                }
            } catch (ProtocolException expected) {
                // The declared outcome of bad input.
            }
        }
    }
}
