package io.kvs.net.protocol;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import static io.kvs.net.protocol.FrameDescriptor.KEY_LENGTH_FIELD_BYTES;
import static io.kvs.net.protocol.FrameDescriptor.LENGTH_FIELD_BYTES;
import static io.kvs.net.protocol.FrameDescriptor.MIN_LENGTH;

/**
 * Decodes frames from a buffer, one at a time. It first checks that a whole frame is there
 * (an incomplete frame is a normal outcome: {@code null}, buffer untouched), and checks the
 * announced length against the limit before anyone allocates room for it. Every violation is a
 * {@link ProtocolException}. Strings must be well-formed UTF-8.
 *
 * <p>Not thread-safe: one decoder per connection or event loop.
 */
public final class FrameDecoder {

    private final int maxFrameBytes;
    private byte[] scratch = new byte[1024];
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);

    /** A decoder accepting length fields up to {@code maxFrameBytes}. */
    public FrameDecoder(int maxFrameBytes) {
        if (maxFrameBytes < FrameDescriptor.MAX_FRAME_BYTES_MIN) {
            throw new IllegalArgumentException("max frame bytes must be at least "
                    + FrameDescriptor.MAX_FRAME_BYTES_MIN + ", got " + maxFrameBytes);
        }
        this.maxFrameBytes = maxFrameBytes;
    }

    /** The largest length field this decoder accepts. */
    public int maxFrameBytes() {
        return maxFrameBytes;
    }

    /**
     * The total size of the frame starting at the buffer's position (length field included), or
     * -1 if fewer than four bytes are there. Does not move the position.
     *
     * @throws ProtocolException if the length field is below the minimum or above the limit
     */
    public int frameSize(ByteBuffer in) {
        if (in.remaining() < LENGTH_FIELD_BYTES) {
            return -1;
        }
        long length = Integer.toUnsignedLong(in.getInt(in.position()));
        if (length < MIN_LENGTH) {
            throw new ProtocolException("frame length " + length + " is below the minimum of " + MIN_LENGTH);
        }
        if (length > maxFrameBytes) {
            throw new ProtocolException("frame length " + length + " exceeds the limit of " + maxFrameBytes + " bytes");
        }
        return (int) length + LENGTH_FIELD_BYTES;
    }

    /**
     * Decodes the request at the buffer's position and moves past it, or returns null (position
     * unchanged) if the frame is not complete yet.
     *
     * @throws ProtocolException if the frame breaks the protocol
     */
    public Request decodeRequest(ByteBuffer in) {
        int end = completeFrameEnd(in);
        if (end < 0) {
            return null;
        }
        int operands = in.position() + FrameDescriptor.OPERANDS_OFFSET;
        byte opcode = in.get(in.position() + FrameDescriptor.TYPE_OFFSET);
        Request request = switch (opcode) {
            case FrameDescriptor.OP_SET -> {
                if (end - operands < KEY_LENGTH_FIELD_BYTES) {
                    throw new ProtocolException("SET frame too short for its key length field");
                }
                long keyLength = Integer.toUnsignedLong(in.getInt(operands));
                int keyStart = operands + KEY_LENGTH_FIELD_BYTES;
                if (keyLength > end - keyStart) {
                    throw new ProtocolException("SET key length " + keyLength + " exceeds the frame's "
                            + (end - keyStart) + " remaining bytes");
                }
                int valueStart = keyStart + (int) keyLength;
                yield Request.set(string(in, keyStart, (int) keyLength, "key"),
                        string(in, valueStart, end - valueStart, "value"));
            }
            case FrameDescriptor.OP_GET -> Request.get(string(in, operands, end - operands, "key"));
            case FrameDescriptor.OP_REMOVE -> Request.remove(string(in, operands, end - operands, "key"));
            case FrameDescriptor.OP_AUTH -> Request.auth(string(in, operands, end - operands, "password"));
            case FrameDescriptor.OP_PING -> {
                if (end != operands) {
                    throw new ProtocolException("PING frame carries " + (end - operands) + " unexpected bytes");
                }
                yield Request.ping();
            }
            case FrameDescriptor.OP_STATUS -> {
                if (end != operands) {
                    throw new ProtocolException("STATUS frame carries " + (end - operands) + " unexpected bytes");
                }
                yield Request.status();
            }
            default -> throw new ProtocolException(String.format("unknown opcode 0x%02x", opcode));
        };
        in.position(end);
        return request;
    }

    /**
     * Decodes the response at the buffer's position and moves past it, or returns null (position
     * unchanged) if the frame is not complete yet.
     *
     * @throws ProtocolException if the frame breaks the protocol
     */
    public Response decodeResponse(ByteBuffer in) {
        int end = completeFrameEnd(in);
        if (end < 0) {
            return null;
        }
        int operands = in.position() + FrameDescriptor.OPERANDS_OFFSET;
        byte status = in.get(in.position() + FrameDescriptor.TYPE_OFFSET);
        Response response = switch (status) {
            case FrameDescriptor.STATUS_OK -> {
                expectEmpty(operands, end, "OK");
                yield Response.ok();
            }
            case FrameDescriptor.STATUS_NOT_FOUND -> {
                expectEmpty(operands, end, "NOT_FOUND");
                yield Response.notFound();
            }
            case FrameDescriptor.STATUS_VALUE -> Response.value(string(in, operands, end - operands, "value"));
            case FrameDescriptor.STATUS_ERROR -> {
                if (end == operands) {
                    throw new ProtocolException("ERROR frame without an error code");
                }
                yield Response.error(in.get(operands), string(in, operands + 1, end - operands - 1, "message"));
            }
            default -> throw new ProtocolException(String.format("unknown status 0x%02x", status));
        };
        in.position(end);
        return response;
    }

    /**
     * The end of the frame at the buffer's position if it is all there (length and version
     * checked), else -1.
     */
    private int completeFrameEnd(ByteBuffer in) {
        int size = frameSize(in);
        if (size < 0 || in.remaining() < size) {
            return -1;
        }
        checkVersion(in.get(in.position() + FrameDescriptor.VERSION_OFFSET));
        return in.position() + size;
    }

    private static void checkVersion(byte version) {
        if (version != FrameDescriptor.VERSION) {
            throw new ProtocolException("unsupported protocol version " + (version & 0xFF)
                    + " (this side speaks " + FrameDescriptor.VERSION + ")");
        }
    }

    private static void expectEmpty(int operands, int end, String status) {
        if (end != operands) {
            throw new ProtocolException(status + " frame carries " + (end - operands) + " unexpected bytes");
        }
    }

    /** Decodes strict UTF-8; pure ASCII takes a fast path. */
    private String string(ByteBuffer in, int offset, int length, String what) {
        byte[] array;
        int from;
        if (in.hasArray()) {
            array = in.array();
            from = in.arrayOffset() + offset;
        } else {
            // A direct buffer: copy the bytes out once, then take the same fast path.
            if (scratch.length < length) {
                scratch = new byte[Math.max(length, 2 * scratch.length)];
            }
            in.get(offset, scratch, 0, length);
            array = scratch;
            from = 0;
        }
        if (isAscii(array, from, length)) {
            return new String(array, from, length, StandardCharsets.ISO_8859_1);
        }
        try {
            CharBuffer chars = utf8.reset().decode(in.duplicate().limit(offset + length).position(offset));
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw new ProtocolException("invalid UTF-8 in " + what);
        }
    }

    private static boolean isAscii(byte[] bytes, int from, int length) {
        for (int i = from, end = from + length; i < end; i++) {
            if (bytes[i] < 0) {
                return false;
            }
        }
        return true;
    }
}
