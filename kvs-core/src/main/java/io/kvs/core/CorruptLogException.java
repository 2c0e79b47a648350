package io.kvs.core;

import java.nio.file.Path;

/**
 * Stored data failed validation: a checksum mismatch, an impossible length or a bad header.
 * Carries the file and the byte offset of the damaged record so that it can be inspected.
 */
public class CorruptLogException extends KvsException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final long offset;

    /** Creates the exception for the damage found in {@code file} at {@code offset}. */
    public CorruptLogException(String problem, Path file, long offset) {
        super(problem + ": file=" + file + " offset=" + offset);
        this.file = file;
        this.offset = offset;
    }

    /** The damaged file. */
    public Path file() {
        return file;
    }

    /** The byte offset in {@link #file()} where the damaged record starts. */
    public long offset() {
        return offset;
    }
}
