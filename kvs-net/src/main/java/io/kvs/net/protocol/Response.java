package io.kvs.net.protocol;

/**
 * One decoded response: a status from {@link FrameDescriptor}, the value (VALUE only), and for
 * ERROR the error code and message.
 */
public record Response(byte status, String value, byte errorCode, String message) {

    private static final Response OK = new Response(FrameDescriptor.STATUS_OK, null, (byte) 0, null);
    private static final Response NOT_FOUND = new Response(FrameDescriptor.STATUS_NOT_FOUND, null, (byte) 0, null);

    /** Success without a value. */
    public static Response ok() {
        return OK;
    }

    /** The key does not exist. */
    public static Response notFound() {
        return NOT_FOUND;
    }

    /** A value. */
    public static Response value(String value) {
        return new Response(FrameDescriptor.STATUS_VALUE, value, (byte) 0, null);
    }

    /** A failure with an error code from {@link FrameDescriptor} and a message for people. */
    public static Response error(byte errorCode, String message) {
        return new Response(FrameDescriptor.STATUS_ERROR, null, errorCode, message);
    }

    /** True for an ERROR response. */
    public boolean isError() {
        return status == FrameDescriptor.STATUS_ERROR;
    }
}
