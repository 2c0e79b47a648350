package io.kvs.core;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A data directory held open by one engine instance.
 *
 * <p>Two small files make the claim: {@value #ENGINE_FILE_NAME} names the engine whose data the
 * directory holds (written on first use, checked on every later open; the engines' own files
 * are checked too, so a marker that was edited or deleted never lets one engine claim the
 * other's data, and a marker is never written over foreign data), and {@value #LOCK_FILE_NAME}
 * carries an exclusive OS file lock for as long as the engine is open, so a second open in this
 * or another process fails fast. The lock disappears with the process, so a crash never leaves
 * a directory locked. Instances are owned by the engine that claimed them; not thread-safe.
 */
public final class DataDirectory implements AutoCloseable {

    /** The file naming the engine that owns the directory. */
    public static final String ENGINE_FILE_NAME = "ENGINE";
    /** The file holding the exclusive lock. */
    public static final String LOCK_FILE_NAME = "LOCK";
    /** The longest engine name accepted in {@value #ENGINE_FILE_NAME}. */
    public static final int MAX_ENGINE_NAME_BYTES = 64;

    private final Path path;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private DataDirectory(Path path, FileChannel lockChannel, FileLock lock) {
        this.path = path;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /**
     * Returns the engine that wrote the data in {@code dir}: the one whose files it holds, or
     * else the one its marker names; empty if the directory holds no kvs data (or does not
     * exist). The files win over the marker: a marker can be edited, deleted or copied around.
     *
     * @throws StorageException if the marker file exists but cannot be read
     */
    public static Optional<String> engineOf(Path dir) {
        Set<EngineKind> present = EngineKind.withFilesIn(dir);
        if (present.size() == 1) {
            return Optional.of(present.iterator().next().engineName());
        }
        return markerOf(dir);
    }

    private static Optional<String> markerOf(Path dir) {
        Path marker = dir.resolve(ENGINE_FILE_NAME);
        try {
            byte[] bytes = Files.readAllBytes(marker);
            if (bytes.length > MAX_ENGINE_NAME_BYTES) {
                throw new CorruptLogException("engine marker is too long", marker, 0);
            }
            return Optional.of(new String(bytes, StandardCharsets.UTF_8).trim());
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new StorageException("cannot read " + marker + ": " + e.getMessage(), e);
        }
    }

    /**
     * Opens {@code dir} for {@code engine}: creates it if needed, takes the exclusive lock and
     * records or checks the engine marker.
     *
     * @throws DirectoryLockedException if another engine instance or process holds the directory
     * @throws EngineMismatchException if the directory holds data of another engine, by its
     *         marker or by its files
     * @throws CorruptLogException if the marker names another engine than the files show
     * @throws StorageException if the directory cannot be created or the files written
     */
    public static DataDirectory claim(Path dir, String engine) {
        Objects.requireNonNull(dir, "dir must not be null");
        Objects.requireNonNull(engine, "engine must not be null");
        Path path = dir.toAbsolutePath().normalize();
        try {
            Files.createDirectories(path);
        } catch (IOException e) {
            throw new StorageException("cannot create data directory " + path + ": " + e, e);
        }
        FileChannel channel = null;
        FileLock lock = null;
        try {
            channel = FileChannel.open(path.resolve(LOCK_FILE_NAME),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                throw new DirectoryLockedException(path);
            }
            DataDirectory claimed = new DataDirectory(path, channel, lock);
            Optional<String> marker = markerOf(path);
            Set<EngineKind> present = EngineKind.withFilesIn(path);
            for (EngineKind kind : present) {
                if (!kind.engineName().equals(engine)) {
                    throw new EngineMismatchException(path, kind.engineName(), engine,
                            marker.map(m -> "found by its files; " + ENGINE_FILE_NAME + " says '" + m + "'")
                                    .orElse("found by its files; " + ENGINE_FILE_NAME + " is missing"));
                }
            }
            if (marker.isPresent() && !marker.get().equals(engine)) {
                if (present.isEmpty()) {
                    throw new EngineMismatchException(path, marker.get(), engine);
                }
                // The files are this engine's, the marker names another: the marker is damaged.
                throw new CorruptLogException(ENGINE_FILE_NAME + " says '" + marker.get() + "' but the directory holds '"
                        + engine + "' files; if the data is '" + engine + "' data, delete " + ENGINE_FILE_NAME
                        + " and start again", path.resolve(ENGINE_FILE_NAME), 0);
            }
            if (marker.isEmpty()) {
                claimed.writeMarker(engine);
            }
            return claimed;
        } catch (IOException e) {
            closeQuietly(channel, lock);
            throw new StorageException("cannot lock data directory " + path + ": " + e, e);
        } catch (RuntimeException e) {
            closeQuietly(channel, lock);
            throw e;
        }
    }

    /** The absolute path of the directory. */
    public Path path() {
        return path;
    }

    /**
     * Forces the directory entry itself to disk, so that files created, renamed or deleted in it
     * survive a power loss.
     *
     * @throws StorageException if the sync fails
     */
    public void sync() {
        try (FileChannel dirChannel = FileChannel.open(path, StandardOpenOption.READ)) {
            dirChannel.force(true);
        } catch (IOException e) {
            throw new StorageException("cannot sync directory " + path + ": " + e, e);
        }
    }

    /** Releases the lock. The marker stays: the data still belongs to its engine. */
    @Override
    public void close() {
        closeQuietly(lockChannel, lock);
    }

    private void writeMarker(String engine) throws IOException {
        Path marker = path.resolve(ENGINE_FILE_NAME);
        Path temp = path.resolve(ENGINE_FILE_NAME + ".tmp");
        try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            out.write(java.nio.ByteBuffer.wrap((engine + "\n").getBytes(StandardCharsets.UTF_8)));
            out.force(true);
        }
        try {
            Files.move(temp, marker, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, marker, StandardCopyOption.REPLACE_EXISTING);
        }
        sync();
    }

    private static void closeQuietly(FileChannel channel, FileLock lock) {
        try {
            if (lock != null && lock.isValid()) {
                lock.release();
            }
        } catch (IOException ignored) {
            // The channel close below releases the lock as well.
        }
        try {
            if (channel != null) {
                channel.close();
            }
        } catch (IOException ignored) {
            // Nothing useful to do: the lock dies with the channel or the process.
        }
    }
}
