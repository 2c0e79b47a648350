package io.kvs.bench;

import io.kvs.core.EngineKind;
import io.kvs.core.KvStoreOptions;
import io.kvs.core.KvsEngine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/** Opens the engine a benchmark's {@code engine} parameter names, with its default options. */
final class Engines {

    private Engines() {
    }

    static KvsEngine open(String name, Path dir) {
        EngineKind kind = EngineKind.named(name)
                .orElseThrow(() -> new IllegalArgumentException("unknown engine " + name + ": expected one of " + EngineKind.names()));
        return kind.open(dir, KvStoreOptions.defaults());
    }

    /** A new empty directory for a store, under {@code kvs.bench.dir} (default: the temp dir). */
    static Path freshDirectory(String prefix) {
        try {
            Path base = Path.of(System.getProperty("kvs.bench.dir", System.getProperty("java.io.tmpdir")));
            Files.createDirectories(base);
            return Files.createTempDirectory(base, prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void delete(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    Files.delete(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
