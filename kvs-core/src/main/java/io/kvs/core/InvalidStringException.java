package io.kvs.core;

/**
 * A key or value is not valid Unicode (it holds an unpaired surrogate) and so has no UTF-8 form.
 * kvs refuses it rather than store a replacement character in its place.
 */
public class InvalidStringException extends KvsException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception for {@code what} with the bad char at {@code index}. */
    public InvalidStringException(String what, int index) {
        super(what + " is not valid Unicode: unpaired surrogate at index " + index);
    }
}
