package io.kvs.core;

import java.nio.file.Path;

/** Another engine instance, in this process or another one, already has the directory open. */
public class DirectoryLockedException extends KvsException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception for {@code dir}. */
    public DirectoryLockedException(Path dir) {
        super("data directory is already open in another engine instance or process: " + dir);
    }
}
