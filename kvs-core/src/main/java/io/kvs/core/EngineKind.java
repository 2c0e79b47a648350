package io.kvs.core;

import io.kvs.core.log.KvStore;
import io.kvs.core.xodus.XodusKvsEngine;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The engines kvs ships, by the name recorded in a data directory's
 * {@value DataDirectory#ENGINE_FILE_NAME} marker: how to open each, and how to recognise its
 * files, so that a directory holding one engine's data is never claimed by the other whatever
 * the marker says. The one place that maps names to engines (the server and the benchmarks use
 * it). Immutable.
 */
public enum EngineKind {

    /** The built-in log-structured engine, {@link KvStore}. */
    KVS(KvStore.ENGINE_NAME, KvStore::isStoreFile),
    /** JetBrains Xodus, {@link XodusKvsEngine}. */
    XODUS(XodusKvsEngine.ENGINE_NAME, XodusKvsEngine::isStoreFile);

    private final String engineName;
    private final Predicate<String> ownsFile;

    EngineKind(String engineName, Predicate<String> ownsFile) {
        this.engineName = engineName;
        this.ownsFile = ownsFile;
    }

    /** The name recorded in the data directory and accepted by {@code --engine}. */
    public String engineName() {
        return engineName;
    }

    /** The engine named {@code name}, or empty if there is none. */
    public static Optional<EngineKind> named(String name) {
        return Arrays.stream(values()).filter(kind -> kind.engineName.equals(name)).findFirst();
    }

    /** Every engine name, in declaration order ({@code kvs} first: the default). */
    public static List<String> names() {
        return Arrays.stream(values()).map(EngineKind::engineName).toList();
    }

    /**
     * Opens this engine in {@code dir}: {@link KvStore} with {@code options}, Xodus with their
     * sync policy.
     *
     * @throws KvsException as the engine's own {@code open} does
     */
    public KvsEngine open(Path dir, KvStoreOptions options) {
        return switch (this) {
            case KVS -> KvStore.open(dir, options);
            case XODUS -> XodusKvsEngine.open(dir, options.syncPolicy(), options.clock());
        };
    }

    /** True if {@code fileName} is a file this engine writes in a data directory. */
    public boolean ownsFile(String fileName) {
        return ownsFile.test(fileName);
    }

    /**
     * The engines whose files are present in {@code dir} (empty if it does not exist).
     *
     * @throws StorageException if the directory cannot be listed
     */
    public static Set<EngineKind> withFilesIn(Path dir) {
        Set<EngineKind> found = EnumSet.noneOf(EngineKind.class);
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                for (EngineKind kind : values()) {
                    if (kind.ownsFile(name)) {
                        found.add(kind);
                    }
                }
            }
        } catch (NoSuchFileException | NotDirectoryException e) {
            return found;
        } catch (IOException e) {
            throw new StorageException("cannot list data directory " + dir + ": " + e.getMessage(), e);
        }
        return found;
    }

    @Override
    public String toString() {
        return engineName.toLowerCase(Locale.ROOT);
    }
}
