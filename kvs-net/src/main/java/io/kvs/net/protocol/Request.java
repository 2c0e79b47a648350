package io.kvs.net.protocol;

/**
 * One decoded request: an opcode from {@link FrameDescriptor} and its operands ({@code key} is
 * null for PING and the password for AUTH, {@code value} is null except for SET). An AUTH
 * request's {@link #toString} hides the password.
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

    /** An AUTH request with {@code password}. */
    public static Request auth(String password) {
        return new Request(FrameDescriptor.OP_AUTH, password, null);
    }

    @Override
    public String toString() {
        return opcode == FrameDescriptor.OP_AUTH ? "Request[AUTH <hidden>]"
                : "Request[opcode=" + opcode + ", key=" + key + ", value=" + value + "]";
    }

    /** A PING request. */
    public static Request ping() {
        return new Request(FrameDescriptor.OP_PING, null, null);
    }

    /** A STATUS request. */
    public static Request status() {
        return new Request(FrameDescriptor.OP_STATUS, null, null);
    }
}
