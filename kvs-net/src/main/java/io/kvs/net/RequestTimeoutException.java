package io.kvs.net;

import io.kvs.core.KvsException;

/** No response arrived within the client's timeout; the connection is no longer usable. */
public class RequestTimeoutException extends KvsException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message naming the address and the timeout. */
    public RequestTimeoutException(String message, Throwable cause) {
        super(message, cause);
    }
}
