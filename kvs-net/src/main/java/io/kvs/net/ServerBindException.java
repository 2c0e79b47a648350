package io.kvs.net;

import io.kvs.core.KvsException;

import java.net.InetSocketAddress;

/** The server could not listen on its address (in use, not local, not permitted). */
public class ServerBindException extends KvsException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception for {@code address} and the reason the OS gave. */
    public ServerBindException(InetSocketAddress address, Throwable cause) {
        super("cannot listen on " + SocketAddresses.format(address) + ": " + cause.getMessage(), cause);
    }
}
