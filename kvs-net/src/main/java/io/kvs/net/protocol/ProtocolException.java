package io.kvs.net.protocol;

import io.kvs.core.KvsException;

/** Bytes that break the wire protocol: a bad length, version, opcode, status or UTF-8. */
public class ProtocolException extends KvsException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message naming the violation and the value involved. */
    public ProtocolException(String message) {
        super(message);
    }
}
