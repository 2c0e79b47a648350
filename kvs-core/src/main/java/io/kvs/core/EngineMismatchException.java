package io.kvs.core;

import java.nio.file.Path;

/** The directory holds data written by a different engine than the one being opened. */
public class EngineMismatchException extends KvsException {
    private static final long serialVersionUID = 1L;

    private final String found;
    private final String requested;

    /** Creates the exception: {@code dir} belongs to {@code found}, {@code requested} was asked for. */
    public EngineMismatchException(Path dir, String found, String requested) {
        this(dir, found, requested, "");
    }

    /**
     * Creates the exception with {@code evidence}, a clause saying how the owner was told
     * (say, which file belongs to it when the marker disagrees).
     */
    public EngineMismatchException(Path dir, String found, String requested, String evidence) {
        super("data directory " + dir + " holds data of engine '" + found + "'"
                + (evidence.isEmpty() ? "" : " (" + evidence + ")") + ", not '" + requested + "'");
        this.found = found;
        this.requested = requested;
    }

    /** The engine that owns the directory. */
    public String found() {
        return found;
    }

    /** The engine that was asked for. */
    public String requested() {
        return requested;
    }
}
