package io.kvs.net;

import io.kvs.net.protocol.ProtocolException;

/**
 * The first bytes the server sent back cannot begin a kvs response (an impossible length, an
 * unknown version or status): the address is some other kind of server, such as HTTP, Redis or
 * SSH. Its message is the sentence for people: {@code the server at ADDR does not speak the kvs
 * protocol}.
 */
public class ProtocolMismatchException extends ProtocolException {
    private static final long serialVersionUID = 1L;

    private final String address;

    /** Creates the exception for the server at {@code address} ({@code IP:PORT}). */
    public ProtocolMismatchException(String address) {
        super("the server at " + address + " does not speak the kvs protocol");
        this.address = address;
    }

    /** The server's address, {@code IP:PORT}. */
    public String address() {
        return address;
    }
}
