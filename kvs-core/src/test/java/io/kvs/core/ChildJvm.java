package io.kvs.core;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Starts a class of the test classpath in a separate JVM, with the flags the build passes to
 * tests (Chronicle's opens and exports, analytics off), for crash and locking tests.
 */
public final class ChildJvm {

    private ChildJvm() {
    }

    /** Starts {@code mainClass} with {@code args}; stdout is a pipe, stderr goes to this process's stderr. */
    public static Process start(Class<?> mainClass, String... args) {
        return start(ProcessBuilder.Redirect.PIPE, mainClass, args);
    }

    /**
     * Starts {@code mainClass} with {@code args} and stdout sent to {@code stdout}. A file is
     * the way to capture every line a process wrote before it was killed: a pipe may lose what
     * was in flight when the JVM reaps the process.
     */
    public static Process start(ProcessBuilder.Redirect stdout, Class<?> mainClass, String... args) {
        return start(List.of(), stdout, mainClass, args);
    }

    /** As {@link #start(ProcessBuilder.Redirect, Class, String...)}, with extra JVM options (system properties). */
    public static Process start(List<String> jvmOptions, ProcessBuilder.Redirect stdout, Class<?> mainClass, String... args) {
        List<String> command = new ArrayList<>();
        command.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        String flags = System.getProperty("kvs.jvm.flags", "-Dchronicle.analytics.disable=true");
        for (String flag : flags.trim().split("\\s+")) {
            if (!flag.isEmpty()) {
                command.add(flag);
            }
        }
        command.add("-Xmx256m");
        command.add("-XX:+UseSerialGC");
        command.add("-XX:TieredStopAtLevel=1");
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        command.addAll(Arrays.asList(args));
        try {
            return new ProcessBuilder(command)
                    .redirectOutput(stdout)
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
