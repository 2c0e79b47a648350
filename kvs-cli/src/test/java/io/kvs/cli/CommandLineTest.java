package io.kvs.cli;

import com.beust.jcommander.JCommander;
import com.beust.jcommander.Parameter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Command lines are read exactly: options by name, in either form; everything else untouched. */
class CommandLineTest {

    static final class Options {
        @Parameter(names = "--addr")
        String address = "default";

        @Parameter(names = "--count")
        int count;

        @Parameter(names = {"-V", "--version"})
        boolean version;
    }

    private static List<String> parse(Options options, String... args) {
        JCommander commander = JCommander.newBuilder().addObject(options).expandAtSign(false).build();
        return CommandLine.parse(commander, args, "");
    }

    /** Regression: JCommander trimmed every argument and stripped quotes, so '  two spaces  ' came back as 'two spaces'. */
    @ParameterizedTest
    @ValueSource(strings = {"  two spaces  ", "\ttab\t", "trailing newline\n", "\n\n", "\"quoted\"", "'single'",
            "@file", "a=b", " ", "", "значение 🔑", "\r\n"})
    void positionalArgumentsAreKeptByteForByte(String value) {
        Options options = new Options();
        assertEquals(List.of("set", value, value), parse(options, "set", value, value));
        assertEquals(List.of("set", "-k", value), parse(options, "set", "--", "-k", value));
    }

    @Test
    void optionValuesAreKeptExactlyToo() {
        Options options = new Options();
        parse(options, "--addr", "  spaced \"path\"  ");
        assertEquals("  spaced \"path\"  ", options.address);
    }

    /** Regression: --engine=xodus and --addr=HOST:PORT were refused. */
    @Test
    void optionsTakeTheirValueAfterAnEqualsSignOrAsTheNextArgument() {
        Options options = new Options();
        List<String> positional = parse(options, "get", "--addr=localhost:4000", "key", "--count", "3", "-V");
        assertEquals(List.of("get", "key"), positional);
        assertEquals("localhost:4000", options.address);
        assertEquals(3, options.count);
        assertTrue(options.version);
        Options again = new Options();
        parse(again, "--addr=a=b");
        assertEquals("a=b", again.address);
    }

    @Test
    void everythingAfterTheEndOfOptionsIsPositional() {
        Options options = new Options();
        assertEquals(List.of("--addr", "x", "--", "-V"), parse(options, "--", "--addr", "x", "--", "-V"));
        assertEquals("default", options.address);
    }

    @Test
    void mistakesAreOneUsageSentence() {
        assertUsage("unknown option '--bogus'", "--bogus");
        assertUsage("unknown option '--bogus'", "--bogus=1");
        assertUsage("unknown option '-5'", "set", "k", "-5");
        assertUsage("option --addr needs a value", "--addr");
        assertUsage("option --version takes no value, got '--version=true'", "--version=true");
        assertUsage("option --addr is given more than once", "--addr", "a", "--addr=b");
        assertUsage("option -V is given more than once", "--version", "-V");
    }

    private static void assertUsage(String message, String... args) {
        CliFailure e = assertThrows(CliFailure.class, () -> parse(new Options(), args));
        assertEquals(CliFailure.USAGE, e.exitCode());
        assertEquals(message, e.getMessage());
    }

    /** Regression: bytes that were not UTF-8 reached the server as U+FFFD, silently. */
    @Test
    void anArgumentTheJvmCouldNotDecodeIsRefused() {
        CliFailure e = assertThrows(CliFailure.class, () -> CommandLine.requireUtf8(new String[]{"set", "bin", "\uFFFD\uFFFD"}));
        assertEquals(CliFailure.USAGE, e.exitCode());
        assertTrue(e.getMessage().startsWith("argument 3 is not valid UTF-8"), e.getMessage());
        CommandLine.requireUtf8(new String[]{"set", "ключ", "значение 🔑", "  "});
    }

    @Test
    void flagsCountOnlyBeforeTheEndOfOptions() {
        assertTrue(CommandLine.hasFlag(new String[]{"get", "--debug", "k"}, "--debug"));
        assertEquals(false, CommandLine.hasFlag(new String[]{"set", "--", "k", "--debug"}, "--debug"));
    }
}
