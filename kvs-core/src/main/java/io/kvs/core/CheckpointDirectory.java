package io.kvs.core;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.function.Consumer;

/**
 * Where a checkpoint ({@link KvsEngine#checkpoint}) is built: a staging directory beside the
 * target, claimed for the engine, filled by the engine, synced, and renamed onto the target
 * only when complete, so a failed or interrupted checkpoint never leaves a half-written store
 * under the target's name. Used by the engines; not needed by their users.
 */
public final class CheckpointDirectory {

    /** Suffix of the staging directory beside the target. */
    public static final String STAGING_SUFFIX = ".checkpoint-staging";

    private CheckpointDirectory() {
    }

    /**
     * Builds a checkpoint of {@code storeDir} for {@code engine} in {@code target}: checks the
     * target, claims a fresh staging directory, runs {@code fill} on it, syncs it, and renames
     * it onto the target. On failure the staging directory is removed.
     *
     * @throws KvsException if the target exists and is not an empty directory, or is {@code storeDir}
     *         or directly inside it (where it would sit among the store's files; deeper is
     *         allowed, as a replicated node's snapshots under {@code raft/} are)
     * @throws StorageException if the directory cannot be written
     */
    public static void build(Path storeDir, String engine, Path target, Consumer<Path> fill) {
        Path absolute = target.toAbsolutePath().normalize();
        Path store = storeDir.toAbsolutePath().normalize();
        if (absolute.equals(store) || store.equals(absolute.getParent())) {
            throw new KvsException("cannot write a checkpoint of " + storeDir + " inside it: " + absolute);
        }
        checkEmptyOrAbsent(absolute);
        Path staging = absolute.resolveSibling(absolute.getFileName() + STAGING_SUFFIX);
        deleteTree(staging);
        try {
            try (DataDirectory copy = DataDirectory.claim(staging, engine)) {
                fill.accept(copy.path());
                copy.sync();
            }
            Files.move(staging, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            syncDirectory(absolute.getParent());
        } catch (IOException e) {
            deleteTree(staging);
            throw new StorageException("cannot write checkpoint " + absolute + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            deleteTree(staging);
            throw e;
        }
    }

    private static void checkEmptyOrAbsent(Path target) {
        if (!Files.exists(target)) {
            return;
        }
        if (!Files.isDirectory(target)) {
            throw new KvsException("checkpoint target " + target + " exists and is not a directory");
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(target)) {
            if (entries.iterator().hasNext()) {
                throw new KvsException("checkpoint target " + target + " is not empty");
            }
        } catch (IOException e) {
            throw new StorageException("cannot read checkpoint target " + target + ": " + e.getMessage(), e);
        }
    }

    /** Forces {@code file}'s contents to the device. */
    public static void forceFile(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(true);
        } catch (IOException e) {
            throw new StorageException("cannot sync " + file + ": " + e.getMessage(), e);
        }
    }

    private static void syncDirectory(Path dir) {
        if (dir == null) {
            return;
        }
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            throw new StorageException("cannot sync directory " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            for (Path path : (Iterable<Path>) walk.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new StorageException("cannot remove the unfinished checkpoint " + dir + ": " + e.getMessage(), e);
        }
    }
}
