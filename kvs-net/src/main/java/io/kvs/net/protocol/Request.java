package io.kvs.net.protocol;

/**
 * One decoded request: an opcode from {@link FrameDescriptor} and its operands ({@code key} is
 * null for PING, {@code value} is null except for SET).
 */
public record Request(byte opcode, String key, String value) {

    /** A SET request. */
    public static Request set(String key, String value) {
        return new Request(FrameDescriptor.OP_SET, key, value);
    }

    /** A GET request. */
    public static Request get(String key) {
        return new Request(FrameDescriptor.OP_GET, key, null);
    }

    /** A REMOVE request. */
    public static Request remove(String key) {
        return new Request(FrameDescriptor.OP_REMOVE, key, null);
    }

    /** A PING request. */
    public static Request ping() {
        return new Request(FrameDescriptor.OP_PING, null, null);
    }
}
