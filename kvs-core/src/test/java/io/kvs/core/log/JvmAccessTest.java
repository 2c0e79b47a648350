package io.kvs.core.log;

import io.kvs.core.JvmFlagsMissingException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link JvmAccess}: a KvStore opened in a JVM started without the flags fails with
 * {@link JvmFlagsMissingException} naming them, before it touches the directory; the listed
 * flags are enough for a clean run. The child JVMs ({@link StoreOpener}) run on this JDK.
 */
class JvmAccessTest {

    @TempDir
    Path tmp;

    @Test
    void openWithoutTheFlagsFailsNamingEachOneAndCreatesNoDirectory() throws Exception {
        Path dir = tmp.resolve("data");
        Child child = run(List.of(), dir);

        assertEquals(StoreOpener.MISSING_FLAGS_EXIT, child.exit, child.toString());
        List<String> expected = JvmAccess.requiredFlags();
        assertEquals(expected, child.stdout.subList(1, 1 + expected.size()), child.toString());
        String message = child.stdout.get(child.stdout.size() - 1);
        for (String flag : expected) {
            assertTrue(message.contains(flag), message);
        }
        assertFalse(Files.exists(dir), "the directory was created");
        assertFalse(child.stderr.toLowerCase().contains("chronicle"), "Chronicle was reached: " + child.stderr);
    }

    @Test
    void openWithoutTheFlagsLeavesAnExistingDirectoryEmpty() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("data"));
        Child child = run(List.of(), dir);

        assertEquals(StoreOpener.MISSING_FLAGS_EXIT, child.exit, child.toString());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(), files.toList(), "no ENGINE, LOCK or segment may appear");
        }
    }

    @Test
    void openWithSomeOfTheFlagsNamesOnlyTheMissingOnes() throws Exception {
        List<String> flags = JvmAccess.requiredFlags();
        Child child = run(flags.subList(1, flags.size()), tmp.resolve("data"));

        assertEquals(StoreOpener.MISSING_FLAGS_EXIT, child.exit, child.toString());
        assertEquals(List.of("missing", flags.get(0)), child.stdout.subList(0, 2), child.toString());
        assertTrue(child.stdout.get(2).startsWith("KvStore needs JVM flags"), child.toString());
    }

    @Test
    void theListedFlagsAreEnoughToWriteCompactAndReopenWithoutAWarning() throws Exception {
        Child child = run(JvmAccess.launchFlags(), tmp.resolve("data"));

        assertEquals(0, child.exit, child.toString());
        assertEquals(List.of("ok"), child.stdout, child.toString());
        assertFalse(child.stderr.contains("WARN") || child.stderr.contains("ERROR") || child.stderr.contains("Exception"),
                "the child complained: " + child.stderr);
    }

    @Test
    void thisTestJvmHasEveryFlag() {
        JvmAccess.check();
        assertEquals(List.of(), JvmAccess.missingFlags(JvmAccess.requiredFlags(), KvStore.class.getModule()));
    }

    @Test
    void jdk24AndNewerNeedNativeAndUnsafeAccessToo() {
        List<String> jdk17 = JvmAccess.requiredFlags(17);
        List<String> jdk24 = JvmAccess.requiredFlags(JvmAccess.JDK24_FEATURE);
        assertEquals(jdk17, jdk24.subList(0, jdk17.size()));
        assertEquals(List.of("--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"),
                jdk24.subList(jdk17.size(), jdk24.size()));
    }

    @Test
    void missingFlagsNameANamedModuleInsteadOfAllUnnamed() {
        Module sql = ModuleLayer.boot().findModule("java.sql").orElseThrow();
        assertEquals(List.of("--add-opens=java.base/java.lang.reflect=java.sql"),
                JvmAccess.missingFlags(List.of("--add-opens=java.base/java.lang.reflect=ALL-UNNAMED"), sql));
    }

    @Test
    void aFlagTheCheckCannotVerifyIsRefused() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> JvmAccess.missingFlags(List.of("-Xss1m"), KvStore.class.getModule()));
        assertTrue(e.getMessage().contains("-Xss1m"), e.getMessage());
    }

    /** Runs {@link StoreOpener} on {@code dir} in a JVM of this JDK with exactly {@code flags}. */
    private Child run(List<String> flags, Path dir) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        command.addAll(flags);
        command.addAll(List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), StoreOpener.class.getName(), dir.toString()));
        Path out = Files.createTempFile(tmp, "stdout", ".txt");
        Path err = Files.createTempFile(tmp, "stderr", ".txt");
        Process process = new ProcessBuilder(command)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("child did not finish in 60 s: " + command);
        }
        return new Child(process.exitValue(), Files.readAllLines(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    private record Child(int exit, List<String> stdout, String stderr) {
    }
}
