package io.kvs.bench.peers;

/**
 * A peer's own failure, turned unchecked: a checked exception of its library or an I/O error,
 * with a message naming the peer and what it was doing.
 */
public final class PeerException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    PeerException(String message, Throwable cause) {
        super(message, cause);
    }
}
