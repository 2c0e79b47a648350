package io.kvs.core.log;

import io.kvs.core.DataDirectory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * A disk that remembers what a power loss would keep. File operations go to the real file
 * system, but forces do not reach the device (the simulation decides durability): each force
 * records the length of data it made durable, each directory sync makes the files created
 * before it durable. {@link #powerLossImage} writes the directory as it would look after the
 * power failed now: every segment cut back to its forced length, a seal written after the last
 * force undone, files created since the last directory sync gone, and the manifest as of the
 * last directory sync after a forced replacement. A reused file (a retired segment's, renamed to
 * a new segment's name) keeps on the device, past its forced length, what it held before it was
 * reused, its old header included until the first force: a power loss leaves its earlier life's
 * records right after the new ones.
 */
final class SimulatedDisk implements LogIo {

    private static final class FileState {
        long durableLength;
        boolean sealUnforced;
        boolean nameDurable;
        /** A reused file's contents before it was reused, or null. */
        byte[] earlier;
    }

    private final Map<Path, FileState> files = new HashMap<>();
    private final Set<Path> createdSinceDirectorySync = new HashSet<>();
    /** Replaced files (the manifest): contents renamed into place, durable at the next directory sync. */
    private final Map<Path, byte[]> replacedPending = new HashMap<>();
    private final Map<Path, byte[]> replacedDurable = new HashMap<>();
    /** Runs once, after the next replacement: lets a test act at that moment. */
    private Runnable afterNextReplace;
    private long forces;
    private long reused;

    @Override
    public synchronized void createFile(Path temporary, Path file, byte[] header) throws IOException {
        LogIo.REAL.createFile(temporary, file, header);
        files.put(file, new FileState());
        createdSinceDirectorySync.add(file);
    }

    @Override
    public synchronized void reuseFile(Path free, Path file, byte[] header) throws IOException {
        byte[] earlier = Files.readAllBytes(free);
        LogIo.REAL.reuseFile(free, file, header);
        FileState state = new FileState();
        state.earlier = earlier;
        reused++;
        files.put(file, state);
        createdSinceDirectorySync.add(file);
    }

    /** Reused files seen so far. */
    synchronized long reusedFiles() {
        return reused;
    }

    @Override
    public synchronized void keepFile(Path file, Path free, int blankBytes) throws IOException {
        // The blanked start is forced, so what reuseFile finds in the free file is what the device holds.
        LogIo.REAL.keepFile(file, free, blankBytes);
        // The name is gone as a deletion's is: the manifest already lists the segment as obsolete.
        files.remove(file);
        createdSinceDirectorySync.remove(file);
    }

    @Override
    public void replaceFile(Path temporary, Path file, byte[] contents, boolean force) throws IOException {
        Runnable action;
        synchronized (this) {
            LogIo.REAL.replaceFile(temporary, file, contents, false);
            if (force) {
                replacedPending.put(file, contents.clone());
            } else {
                // An unforced file may be empty after a power loss: model it as lost.
                replacedPending.remove(file);
                replacedDurable.remove(file);
            }
            action = afterNextReplace;
            afterNextReplace = null;
        }
        if (action != null) {
            action.run();
        }
    }

    /** Runs {@code action} in the writing thread right after the next file replacement (a manifest write). */
    synchronized void afterNextReplace(Runnable action) {
        this.afterNextReplace = action;
    }

    @Override
    public synchronized void force(FileChannel channel, Path file, long dataLength) {
        FileState state = files.computeIfAbsent(file, f -> new FileState());
        state.durableLength = Math.max(state.durableLength, dataLength);
        state.sealUnforced = false;
        forces++;
    }

    @Override
    public synchronized void sealWritten(Path file) {
        files.computeIfAbsent(file, f -> new FileState()).sealUnforced = true;
    }

    @Override
    public synchronized void syncDirectory(DataDirectory directory) {
        for (Path file : createdSinceDirectorySync) {
            FileState state = files.get(file);
            if (state != null) {
                state.nameDurable = true;
            }
        }
        createdSinceDirectorySync.clear();
        replacedDurable.putAll(replacedPending);
        replacedPending.clear();
    }

    @Override
    public synchronized void truncate(FileChannel channel, Path file, long length) throws IOException {
        LogIo.REAL.truncate(channel, file, length);
        FileState state = files.get(file);
        if (state != null) {
            state.durableLength = Math.min(state.durableLength, length);
        }
    }

    @Override
    public synchronized void delete(Path file) throws IOException {
        LogIo.REAL.delete(file);
        files.remove(file);
        createdSinceDirectorySync.remove(file);
    }

    /** Forces seen so far. */
    synchronized long forces() {
        return forces;
    }

    /**
     * Writes into the empty directory {@code image} what {@code dir} would hold after a power
     * loss now. Files this disk never saw created (they existed before) are kept whole.
     */
    synchronized void powerLossImage(Path dir, Path image) {
        try {
            Files.createDirectories(image);
            for (String name : new String[]{DataDirectory.ENGINE_FILE_NAME, DataDirectory.LOCK_FILE_NAME}) {
                if (Files.exists(dir.resolve(name))) {
                    Files.copy(dir.resolve(name), image.resolve(name));
                }
            }
            Path manifest = SegmentFiles.manifestPath(dir);
            byte[] durable = replacedDurable.get(manifest);
            if (durable != null) {
                Files.write(image.resolve(manifest.getFileName()), durable);
            }
            for (long id : SegmentFiles.list(dir)) {
                Path file = SegmentFiles.path(dir, id);
                FileState state = files.get(file);
                if (state == null) {
                    Files.copy(file, image.resolve(file.getFileName()));
                    continue;
                }
                if (!state.nameDurable) {
                    continue;
                }
                Path copy = image.resolve(file.getFileName());
                if (state.earlier != null) {
                    Files.write(copy, state.earlier);
                }
                copyPrefix(file, copy, state.durableLength, state.sealUnforced);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void copyPrefix(Path from, Path to, long length, boolean dropSeal) throws IOException {
        try (FileChannel in = FileChannel.open(from, StandardOpenOption.READ);
             FileChannel out = FileChannel.open(to, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            long copied = 0;
            while (copied < length) {
                long n = in.transferTo(copied, length - copied, out.position(copied));
                if (n <= 0) {
                    break;
                }
                copied += n;
            }
            if (dropSeal && length >= SegmentHeader.LENGTH) {
                out.write(ByteBuffer.allocate(SegmentHeader.SEAL_LENGTH), SegmentHeader.SEALED_END_OFFSET);
            }
        }
    }
}
