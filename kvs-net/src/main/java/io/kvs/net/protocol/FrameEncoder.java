package io.kvs.net.protocol;

import io.kvs.core.KvsLimits;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Encodes requests and responses as frames ({@link FrameDescriptor}). Keys and values are
 * checked against {@link KvsLimits} on the way out, so a client never sends what the server
 * would refuse. Stateless and thread-safe.
 */
public final class FrameEncoder {

    private FrameEncoder() {
    }

    /**
     * Encodes a request as a complete frame.
     *
     * @throws io.kvs.core.LimitExceededException if the key or value is over its limit
     * @throws io.kvs.core.InvalidStringException if the key or value is not valid Unicode
     */
    public static byte[] encodeRequest(Request request) {
        return switch (request.opcode()) {
            case FrameDescriptor.OP_SET -> {
                byte[] key = KvsLimits.encodeKey(request.key());
                byte[] value = KvsLimits.encodeValue(request.value());
                ByteBuffer frame = frame(FrameDescriptor.OP_SET, FrameDescriptor.KEY_LENGTH_FIELD_BYTES + key.length + value.length);
                frame.putInt(key.length).put(key).put(value);
                yield frame.array();
            }
            case FrameDescriptor.OP_GET, FrameDescriptor.OP_REMOVE -> {
                byte[] key = KvsLimits.encodeKey(request.key());
                yield frame(request.opcode(), key.length).put(key).array();
            }
            case FrameDescriptor.OP_PING, FrameDescriptor.OP_STATUS -> frame(request.opcode(), 0).array();
            case FrameDescriptor.OP_AUTH -> {
                byte[] password = request.key().getBytes(java.nio.charset.StandardCharsets.UTF_8);
                yield frame(FrameDescriptor.OP_AUTH, password.length).put(password).array();
            }
            default -> throw new IllegalArgumentException("unknown opcode " + request.opcode());
        };
    }

    /** The size of {@code response} as a frame, in bytes. */
    public static int responseSize(Response response) {
        return FrameDescriptor.OPERANDS_OFFSET + switch (response.status()) {
            case FrameDescriptor.STATUS_VALUE -> utf8Length(response.value());
            case FrameDescriptor.STATUS_ERROR -> 1 + response.message().getBytes(StandardCharsets.UTF_8).length;
            default -> 0;
        };
    }

    /**
     * Writes {@code response} as a frame into {@code out}, which has room for
     * {@link #responseSize} bytes. Pure-ASCII values are written without an intermediate array.
     */
    public static void encodeResponse(Response response, ByteBuffer out) {
        byte status = response.status();
        if (status == FrameDescriptor.STATUS_VALUE && isAscii(response.value())) {
            String value = response.value();
            int length = value.length();
            out.putInt(FrameDescriptor.MIN_LENGTH + length).put(FrameDescriptor.VERSION).put(status);
            for (int i = 0; i < length; i++) {
                out.put((byte) value.charAt(i));
            }
        } else if (status == FrameDescriptor.STATUS_OK || status == FrameDescriptor.STATUS_NOT_FOUND) {
            out.putInt(FrameDescriptor.MIN_LENGTH).put(FrameDescriptor.VERSION).put(status);
        } else {
            out.put(encodeResponse(response));
        }
    }

    /** The size of a VALUE frame holding {@code length} bytes of value. */
    public static int valueResponseSize(int length) {
        return FrameDescriptor.OPERANDS_OFFSET + length;
    }

    /**
     * Writes a VALUE frame of {@code utf8}, which the caller has checked is well-formed UTF-8,
     * into {@code out} (room for {@link #valueResponseSize} bytes): no string in between.
     */
    public static void encodeValueResponse(byte[] utf8, ByteBuffer out) {
        out.putInt(FrameDescriptor.MIN_LENGTH + utf8.length).put(FrameDescriptor.VERSION).put(FrameDescriptor.STATUS_VALUE)
                .put(utf8);
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    private static int utf8Length(String s) {
        return isAscii(s) ? s.length() : s.getBytes(StandardCharsets.UTF_8).length;
    }

    /** Encodes a response as a complete frame. */
    public static byte[] encodeResponse(Response response) {
        return switch (response.status()) {
            case FrameDescriptor.STATUS_OK, FrameDescriptor.STATUS_NOT_FOUND -> frame(response.status(), 0).array();
            case FrameDescriptor.STATUS_VALUE -> {
                byte[] value = response.value().getBytes(StandardCharsets.UTF_8);
                yield frame(FrameDescriptor.STATUS_VALUE, value.length).put(value).array();
            }
            case FrameDescriptor.STATUS_ERROR -> {
                byte[] message = response.message().getBytes(StandardCharsets.UTF_8);
                yield frame(FrameDescriptor.STATUS_ERROR, 1 + message.length).put(response.errorCode()).put(message).array();
            }
            default -> throw new IllegalArgumentException("unknown status " + response.status());
        };
    }

    /** A heap buffer for a frame with {@code operandBytes} of operands, header written, positioned at the operands. */
    private static ByteBuffer frame(byte type, int operandBytes) {
        ByteBuffer frame = ByteBuffer.allocate(FrameDescriptor.OPERANDS_OFFSET + operandBytes);
        frame.putInt(FrameDescriptor.MIN_LENGTH + operandBytes);
        frame.put(FrameDescriptor.VERSION);
        frame.put(type);
        return frame;
    }
}
