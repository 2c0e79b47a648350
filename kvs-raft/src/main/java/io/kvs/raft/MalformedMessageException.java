package io.kvs.raft;

/** A replication message (a log entry, a query, a reply) that does not decode. */
public final class MalformedMessageException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public MalformedMessageException(String message) {
        super(message);
    }
}
