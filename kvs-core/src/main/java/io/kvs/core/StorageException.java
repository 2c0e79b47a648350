package io.kvs.core;

/**
 * The file system refused an operation: no space left, a failed read or write, a failed sync.
 * A write that fails this way is not acknowledged and the engine stays readable.
 */
public class StorageException extends KvsException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message naming the file and the operation. */
    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
