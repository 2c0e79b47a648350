package io.kvs.core;

/**
 * The root of every exception kvs throws on purpose. Unchecked: callers catch what they can act
 * on and let the rest propagate.
 */
public class KvsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Creates an exception with a message naming the thing that failed and the value involved. */
    public KvsException(String message) {
        super(message);
    }

    /** Creates an exception with a message and the lower-level cause. */
    public KvsException(String message, Throwable cause) {
        super(message, cause);
    }
}
