package io.kvs.core;

/** Thrown by {@link KvsEngine#remove(String)} when the key does not exist. */
public class KeyNotFoundException extends KvsException {
    private static final long serialVersionUID = 1L;

    private final String key;

    /** Creates the exception for {@code key}. */
    public KeyNotFoundException(String key) {
        super("Key not found");
        this.key = key;
    }

    /** The key that was not found. */
    public String key() {
        return key;
    }
}
