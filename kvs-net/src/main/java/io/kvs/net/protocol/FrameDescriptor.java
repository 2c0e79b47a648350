package io.kvs.net.protocol;

import io.kvs.core.KvsLimits;

/**
 * The layout of a frame on the wire; {@code docs/PROTOCOL.md} specifies the same in words.
 *
 * <pre>
 *   0                 4         5         6
 *   +-----------------+---------+---------+----------------------------------+
 *   | length (u32 BE) | version | op/stat | operands (length - 2 bytes)      |
 *   +-----------------+---------+---------+----------------------------------+
 * </pre>
 *
 * {@code length} counts the bytes after the length field, so a frame is {@code 4 + length} bytes.
 * Integers are big-endian (network order). Requests carry an opcode, responses a status.
 *
 * <pre>
 *   SET     0x01  key length (u32) | key | value        -&gt; OK
 *   GET     0x02  key                                  -&gt; VALUE value | NOT_FOUND
 *   REMOVE  0x03  key                                  -&gt; OK | NOT_FOUND
 *   PING    0x04  (nothing)                            -&gt; OK
 *   any                                                -&gt; ERROR code (u8) | message
 * </pre>
 */
public final class FrameDescriptor {

    /** Offset of the length field. */
    public static final int LENGTH_OFFSET = 0;
    /** Bytes of the length field. */
    public static final int LENGTH_FIELD_BYTES = 4;
    /** Offset of the protocol version. */
    public static final int VERSION_OFFSET = 4;
    /** Offset of the opcode (requests) or status (responses). */
    public static final int TYPE_OFFSET = 5;
    /** Offset of the operands. */
    public static final int OPERANDS_OFFSET = 6;
    /** The smallest legal value of the length field: version and type. */
    public static final int MIN_LENGTH = 2;
    /** Bytes of the key length field of a SET request. */
    public static final int KEY_LENGTH_FIELD_BYTES = 4;

    /** The protocol version this code speaks. */
    public static final byte VERSION = 1;

    /** Request: set a key to a value. */
    public static final byte OP_SET = 0x01;
    /** Request: get the value of a key. */
    public static final byte OP_GET = 0x02;
    /** Request: remove a key. */
    public static final byte OP_REMOVE = 0x03;
    /** Request: health check. */
    public static final byte OP_PING = 0x04;
    /** AUTH: the password (the whole operand field, UTF-8); answered with OK or ERROR AUTH. */
    public static final byte OP_AUTH = 0x05;
    /** STATUS: no operands; answered with VALUE, the node's status as {@code field:value} lines (docs/PROTOCOL.md). */
    public static final byte OP_STATUS = 0x06;

    /** Response: success without a value. */
    public static final byte STATUS_OK = 0x00;
    /** Response: the value asked for. */
    public static final byte STATUS_VALUE = 0x01;
    /** Response: the key does not exist. */
    public static final byte STATUS_NOT_FOUND = 0x02;
    /** Response: the request failed; an error code and a message follow. */
    public static final byte STATUS_ERROR = 0x03;

    /** Error: the request broke the protocol; the server closes the connection after replying. */
    public static final byte ERROR_BAD_REQUEST = 1;
    /** Error: a key or value exceeds its limit. */
    public static final byte ERROR_LIMIT_EXCEEDED = 2;
    /** Error: the engine failed to read or write (for example, disk full). */
    public static final byte ERROR_STORAGE = 3;
    /** Error: the server cannot take the request now (shutting down, too many connections). */
    public static final byte ERROR_UNAVAILABLE = 4;
    /** Error: an unexpected failure in the server. */
    public static final byte ERROR_INTERNAL = 5;
    /** Error: stored data failed validation (a checksum mismatch, say); nothing was returned or written. */
    public static final byte ERROR_CORRUPTION = 6;
    /** The connection has not authenticated (every request but AUTH is refused), or the password is wrong. */
    public static final byte ERROR_AUTH = 7;

    /** Overhead of a SET frame on top of key and value bytes. */
    public static final int SET_OVERHEAD_BYTES = OPERANDS_OFFSET + KEY_LENGTH_FIELD_BYTES;
    /** Default limit of the length field: room for a SET of the largest key and value. */
    public static final int MAX_FRAME_BYTES_DEFAULT = KvsLimits.MAX_KEY_BYTES + KvsLimits.MAX_VALUE_BYTES
            + SET_OVERHEAD_BYTES;
    /** The smallest frame limit that can be configured. */
    public static final int MAX_FRAME_BYTES_MIN = 64;

    private FrameDescriptor() {
    }

    /** The name of an opcode, for messages. */
    public static String opName(byte opcode) {
        return switch (opcode) {
            case OP_SET -> "SET";
            case OP_GET -> "GET";
            case OP_REMOVE -> "REMOVE";
            case OP_PING -> "PING";
            case OP_AUTH -> "AUTH";
            case OP_STATUS -> "STATUS";
            default -> String.format("0x%02x", opcode);
        };
    }
}
