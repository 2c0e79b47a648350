package io.kvs.core;

/** A key, value or other bounded quantity is larger than its documented limit. */
public class LimitExceededException extends KvsException {
    private static final long serialVersionUID = 1L;

    private final long actual;
    private final long limit;

    /** Creates the exception: {@code what} is {@code actual} units long, at most {@code limit}. */
    public LimitExceededException(String what, long actual, long limit) {
        super(what + " is too large: " + actual + " bytes, the limit is " + limit + " bytes");
        this.actual = actual;
        this.limit = limit;
    }

    /** The size that was refused. */
    public long actual() {
        return actual;
    }

    /** The limit it exceeded. */
    public long limit() {
        return limit;
    }
}
