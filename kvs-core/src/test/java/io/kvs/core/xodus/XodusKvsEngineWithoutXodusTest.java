package io.kvs.core.xodus;

import io.kvs.core.KvsException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Xodus is an optional dependency of kvs-core: without its jars, {@link XodusKvsEngine#open}
 * fails with a {@link KvsException} naming the artifacts to add, before it touches the directory.
 */
class XodusKvsEngineWithoutXodusTest {

    @TempDir
    Path tmp;

    @Test
    void openWithoutXodusNamesTheArtifactsToAddAndCreatesNoDirectory() throws Exception {
        String separator = File.pathSeparator;
        String classPath = Arrays.stream(System.getProperty("java.class.path").split(separator))
                .filter(entry -> !entry.contains("xodus"))
                .collect(Collectors.joining(separator));
        assertFalse(classPath.equals(System.getProperty("java.class.path")), "no Xodus jar found to leave out");
        Path dir = tmp.resolve("data");
        Path out = tmp.resolve("stdout.txt");
        Process child = new ProcessBuilder(
                System.getProperty("java.home") + File.separator + "bin" + File.separator + "java",
                "-Xmx128m", "-XX:TieredStopAtLevel=1", "-cp", classPath, XodusOpener.class.getName(), dir.toString())
                .redirectOutput(out.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "child did not finish in 60 s");

        List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
        assertEquals(XodusOpener.FAILED_EXIT, child.exitValue(), lines.toString());
        assertEquals(KvsException.class.getName(), lines.get(0));
        assertTrue(lines.get(1).contains("org.jetbrains.xodus:xodus-environment")
                && lines.get(1).contains("org.jetbrains.xodus:xodus-openAPI"), lines.get(1));
        assertFalse(Files.exists(dir), "the directory was created");
    }
}
