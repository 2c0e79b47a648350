package io.kvs.bench;

import io.kvs.bench.peers.Peer;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Opens the store a benchmark's {@code engine} parameter names: a kvs engine or one of the peers,
 * each with its default options.
 */
final class Engines {

    private Engines() {
    }

    /**
     * Opens {@code name} in {@code dir}: {@code kvs} or {@code xodus} as a {@link KvsBenchStore},
     * otherwise a {@link Peer}. A kvs engine is looked up first, so a fork that measures one loads
     * no peer class.
     *
     * @throws IllegalArgumentException if no store has that name
     */
    static BenchStore open(String name, Path dir) {
        Optional<EngineKind> kind = EngineKind.named(name);
        if (kind.isPresent()) {
            return new KvsBenchStore(kind.get().open(dir, KvStoreOptions.defaults()));
        }
        return Peer.named(name)
                .orElseThrow(() -> new IllegalArgumentException("unknown engine " + name + ": expected one of " + names()))
                .open(dir);
    }

    /** Opens the kvs engine {@code name} itself, for the benchmarks that measure kvs and Xodus only. */
    static KvsEngine openEngine(String name, Path dir) {
        EngineKind kind = EngineKind.named(name)
                .orElseThrow(() -> new IllegalArgumentException("unknown engine " + name + ": expected one of " + EngineKind.names()));
        return kind.open(dir, KvStoreOptions.defaults());
    }

    /** Every name {@link #open} accepts: the kvs engines, then the peers. */
    static List<String> names() {
        List<String> names = new ArrayList<>(EngineKind.names());
        names.addAll(Peer.names());
        return names;
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
