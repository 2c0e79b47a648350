package io.kvs.core;

/** Thrown by every operation on an engine after {@link KvsEngine#close()}. */
public class EngineClosedException extends KvsException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception for the engine on {@code what} (usually its directory). */
    public EngineClosedException(String what) {
        super("engine is closed: " + what);
    }
}
