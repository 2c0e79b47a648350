package io.kvs.net;

import io.kvs.core.KvsException;

/** The client could not reach the server, or the connection broke while it waited for a response. */
public class ConnectionFailedException extends KvsException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message naming the address and the reason. */
    public ConnectionFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
