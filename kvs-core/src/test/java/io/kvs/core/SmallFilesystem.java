package io.kvs.core;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A size-limited tmpfs for disk-full tests. Mounting needs root; where it is not permitted the
 * test is skipped with the reason (an assumption, not a failure).
 */
public final class SmallFilesystem implements AutoCloseable {

    private final Path mountPoint;

    private SmallFilesystem(Path mountPoint) {
        this.mountPoint = mountPoint;
    }

    /** Mounts a tmpfs of {@code bytes} at {@code mountPoint} (created if needed), or skips the test. */
    public static SmallFilesystem mount(Path mountPoint, long bytes) throws IOException, InterruptedException {
        Files.createDirectories(mountPoint);
        Process process = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + bytes, "tmpfs", mountPoint.toString())
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        boolean mounted = process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
        Assumptions.assumeTrue(mounted, "skipped: cannot mount a tmpfs here (" + output + ")");
        return new SmallFilesystem(mountPoint);
    }

    public Path path() {
        return mountPoint;
    }

    /** Unmounts (lazily, so that a process still holding files does not block it). */
    @Override
    public void close() throws IOException {
        try {
            new ProcessBuilder("umount", "-l", mountPoint.toString()).inheritIO().start().waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
