package io.kvs.net;

import io.kvs.core.KvsException;
import io.kvs.net.protocol.FrameDescriptor;

/** The server answered a request with an ERROR response. */
public class ServerErrorException extends KvsException {
    private static final long serialVersionUID = 1L;

    private final byte errorCode;

    /** Creates the exception for an error response with {@code errorCode} (see {@link FrameDescriptor}). */
    public ServerErrorException(byte errorCode, String message) {
        super("server error: " + message);
        this.errorCode = errorCode;
    }

    /** The error code, one of the {@code ERROR_} constants of {@link FrameDescriptor}. */
    public byte errorCode() {
        return errorCode;
    }
}
