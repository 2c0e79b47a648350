package io.kvs.core;

import java.util.List;

/**
 * The JVM was started without flags the built-in engine needs (Chronicle Bytes reaches into JDK
 * internals to map its files). Thrown by {@code KvStore.open} before it touches the directory;
 * the message and {@link #missingFlags()} give the exact flags to add to the java command line.
 */
public class JvmFlagsMissingException extends KvsException {
    private static final long serialVersionUID = 1L;

    private final String[] missingFlags;

    /** Creates the exception for {@code missingFlags}, each as the java command line takes it. */
    public JvmFlagsMissingException(List<String> missingFlags) {
        super("KvStore needs JVM flags this JVM (Java " + Runtime.version().feature()
                + ") was started without; add " + String.join(" ", missingFlags)
                + " to the java command line (kvs-core's README shows how for Maven, Gradle and java -jar)");
        this.missingFlags = missingFlags.toArray(new String[0]);
    }

    /** The flags to add, each as the java command line takes it. */
    public List<String> missingFlags() {
        return List.of(missingFlags);
    }
}
