package io.kvs.core.log;

import io.kvs.core.DataDirectory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The seam through which the log does every file operation that can fail or that decides what
 * survives a power loss: creating a segment file, reusing a retired one, replacing the manifest, allocating a segment's
 * space, forcing it, sealing it, syncing the directory, cutting a tail, deleting. {@link #REAL} performs them. The reliability
 * suites substitute implementations that record what a power loss would keep, or fail the k-th
 * operation. Writes of records through the memory mapping do not pass here: they cannot fail
 * (the space is allocated first) and become durable only through {@link #force}.
 */
interface LogIo {

    /** Performs the operations on the real file system. */
    LogIo REAL = new LogIo() {
    };

    /** Creates {@code file} holding {@code header}: written to {@code temporary}, then renamed over. */
    default void createFile(Path temporary, Path file, byte[] header) throws IOException {
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(header);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        }
        moveToNewName(temporary, file);
    }

    /**
     * Makes {@code free}, the file of a retired segment, segment {@code file}: {@code header} is
     * written over its first bytes, then it is renamed (the target must not exist). Nothing is
     * forced: like a created file, it becomes durable with the segment's first force.
     */
    default void reuseFile(Path free, Path file, byte[] header) throws IOException {
        try (FileChannel channel = FileChannel.open(free, StandardOpenOption.WRITE)) {
            writeAtStart(channel, ByteBuffer.wrap(header));
        }
        moveToNewName(free, file);
    }

    /**
     * Keeps the file of a retired segment as {@code free}, to be reused: its first
     * {@code blankBytes} (its header and first records) are overwritten with zeros and forced,
     * then it is renamed. So if a power loss keeps the rename that reuses it but not its new
     * header, it opens as a segment whose header never reached the disk: blank, and deleted.
     */
    default void keepFile(Path file, Path free, int blankBytes) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            writeAtStart(channel, ByteBuffer.allocate(blankBytes));
            channel.force(false);
        }
        Files.move(file, free, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Replaces {@code file} with {@code contents}: written to {@code temporary}, forced there if
     * {@code force}, then renamed over {@code file} (atomic: a reader sees the old or the new).
     */
    default void replaceFile(Path temporary, Path file, byte[] contents, boolean force) throws IOException {
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(contents);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            if (force) {
                channel.force(true);
            }
        }
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Writes {@code zeros} at {@code position} of {@code file}, allocating its blocks; returns the bytes written. */
    default int allocate(FileChannel channel, Path file, ByteBuffer zeros, long position) throws IOException {
        return channel.write(zeros, position);
    }

    /** Forces {@code file} to the device; its records end at {@code dataLength}. */
    default void force(FileChannel channel, Path file, long dataLength) throws IOException {
        channel.force(false);
    }

    /** Called after the seal of {@code file} was written through the mapping; it is durable after the next force. */
    default void sealWritten(Path file) {
    }

    /** Forces the directory's entries (created, renamed, deleted files) to the device. */
    default void syncDirectory(DataDirectory directory) {
        directory.sync();
    }

    /** Cuts {@code file} to {@code length} bytes (recovery of a torn tail). */
    default void truncate(FileChannel channel, Path file, long length) throws IOException {
        channel.truncate(length);
    }

    /** Deletes {@code file} if it exists. */
    default void delete(Path file) throws IOException {
        Files.deleteIfExists(file);
    }

    /** Writes all of {@code bytes} at the start of the file. */
    private static void writeAtStart(FileChannel channel, ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            channel.write(bytes, bytes.position());
        }
    }

    /** Renames a segment's file into {@code file}, which must not exist yet. */
    private static void moveToNewName(Path from, Path file) throws IOException {
        if (Files.exists(file)) {
            throw new IOException("segment file already exists");
        }
        Files.move(from, file, StandardCopyOption.ATOMIC_MOVE);
    }
}
