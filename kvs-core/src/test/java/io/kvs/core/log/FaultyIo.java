package io.kvs.core.log;

import io.kvs.core.DataDirectory;
import io.kvs.core.StorageException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * File operations that fail on purpose: the {@code failAt}-th operation (counting from 1) throws
 * an {@link IOException}, once or, if {@code persistent}, that one and every one after it.
 * Counts every operation, so a run with {@code failAt} beyond the count never fails.
 */
final class FaultyIo implements LogIo {

    private final long failAt;
    private final boolean persistent;
    private final AtomicLong operations = new AtomicLong();

    FaultyIo(long failAt, boolean persistent) {
        this.failAt = failAt;
        this.persistent = persistent;
    }

    /** Operations attempted so far. */
    long operations() {
        return operations.get();
    }

    /** True once an injected failure has happened. */
    boolean failed() {
        return operations.get() >= failAt;
    }

    private void step(String what, Path file) throws IOException {
        long n = operations.incrementAndGet();
        if (n == failAt || (persistent && n > failAt)) {
            throw new IOException("injected failure of operation " + n + " (" + what + " " + file.getFileName() + ")");
        }
    }

    @Override
    public void createFile(Path temporary, Path file, byte[] header) throws IOException {
        step("create", file);
        LogIo.REAL.createFile(temporary, file, header);
    }

    @Override
    public void reuseFile(Path free, Path file, byte[] header) throws IOException {
        step("reuse", file);
        LogIo.REAL.reuseFile(free, file, header);
    }

    @Override
    public void keepFile(Path file, Path free, int blankBytes) throws IOException {
        step("keep", file);
        LogIo.REAL.keepFile(file, free, blankBytes);
    }

    @Override
    public void replaceFile(Path temporary, Path file, byte[] contents, boolean force) throws IOException {
        step("replace", file);
        LogIo.REAL.replaceFile(temporary, file, contents, force);
    }

    @Override
    public int allocate(FileChannel channel, Path file, ByteBuffer zeros, long position) throws IOException {
        step("allocate", file);
        return LogIo.REAL.allocate(channel, file, zeros, position);
    }

    @Override
    public void force(FileChannel channel, Path file, long dataLength) throws IOException {
        step("force", file);
        LogIo.REAL.force(channel, file, dataLength);
    }

    @Override
    public void syncDirectory(DataDirectory directory) {
        try {
            step("sync directory", directory.path());
        } catch (IOException e) {
            throw new StorageException("cannot sync directory " + directory.path() + ": " + e.getMessage(), e);
        }
        LogIo.REAL.syncDirectory(directory);
    }

    @Override
    public void truncate(FileChannel channel, Path file, long length) throws IOException {
        step("truncate", file);
        LogIo.REAL.truncate(channel, file, length);
    }

    @Override
    public void delete(Path file) throws IOException {
        step("delete", file);
        LogIo.REAL.delete(file);
    }
}
