package io.kvs.cli;

import com.beust.jcommander.JCommander;
import com.beust.jcommander.Parameter;
import com.beust.jcommander.ParameterException;
import io.kvs.core.KeyNotFoundException;
import io.kvs.core.KvsException;
import io.kvs.net.KvsClient;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * {@code kvs-client <set|get|rm> ... [--addr IP:PORT]}: one request to a kvs server.
 *
 * <p>{@code set} prints nothing; {@code get} prints the value and a newline, or
 * {@code Key not found} (exit 0); {@code rm} of a missing key prints {@code Key not found} on
 * stderr and exits 1. Bad arguments exit 2; every other failure exits 1 with one sentence on
 * stderr. Arguments after {@code --} are never options, so a key or value may start with a dash.
 */
public final class ClientMain {

    static final String PROGRAM = "kvs-client";

    /**
     * The whole command line as one JCommander object: the command and its arguments are the
     * positional parameters. (One object with a handful of annotations, rather than an object
     * per command, keeps JCommander's reflection, most of this program's start-up time, small.)
     */
    static final class Arguments {
        @Parameter(description = "set KEY VALUE | get KEY | rm KEY")
        List<String> positional = new ArrayList<>();

        @Parameter(names = "--addr", converter = Addresses.ClientConverter.class,
                description = "Server address, IP:PORT (IPv6 as [::1]:4000)")
        InetSocketAddress address;

        @Parameter(names = "--timeout", description = "Seconds to wait for the server")
        long timeoutSeconds = KvsClient.TIMEOUT_DEFAULT.toSeconds();

        @Parameter(names = {"-V", "--version"}, description = "Print the version")
        boolean version;

        @Parameter(names = {"-h", "--help"}, help = true, description = "Print this help")
        boolean help;

        @Parameter(names = "--debug", hidden = true)
        boolean debug;
    }

    private ClientMain() {
    }

    public static void main(String[] args) {
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        int exitCode = run(args, out, err);
        out.flush();
        err.flush();
        // halt, not exit: the client has no shutdown hooks to run, and since JDK 21 System.exit
        // looks up a System.Logger, which scans every jar on the class path for a logging
        // backend (17 ms, a fifth of the client's run time on JDK 25).
        Runtime.getRuntime().halt(exitCode);
    }

    /** Runs the program; returns the exit code. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        Arguments arguments = new Arguments();
        boolean debug = Arrays.asList(args).contains("--debug");
        try {
            // JCommander has no end-of-options marker: split it off and add the rest verbatim.
            int dashes = Arrays.asList(args).indexOf("--");
            String[] options = dashes < 0 ? args : Arrays.copyOfRange(args, 0, dashes);
            List<String> literal = dashes < 0 ? List.of() : Arrays.asList(args).subList(dashes + 1, args.length);
            try {
                JCommander.newBuilder().programName(PROGRAM).addObject(arguments).build().parse(options);
            } catch (ParameterException e) {
                throw CliFailure.usage(e.getMessage());
            }
            if (arguments.version) {
                out.println(PROGRAM + " " + Version.current());
                return 0;
            }
            if (arguments.help) {
                out.print(usage());
                return 0;
            }
            List<String> positional = new ArrayList<>(arguments.positional);
            checkNoUnknownOptions(positional);
            positional.addAll(literal);
            if (positional.isEmpty()) {
                throw CliFailure.usage("missing command: expected set, get or rm");
            }
            String command = positional.remove(0);
            return switch (command) {
                case "set" -> {
                    expectArity(positional, "set", 2, "KEY VALUE");
                    try (KvsClient client = connect(arguments)) {
                        client.set(positional.get(0), positional.get(1));
                    }
                    yield 0;
                }
                case "get" -> {
                    expectArity(positional, "get", 1, "KEY");
                    Optional<String> value;
                    try (KvsClient client = connect(arguments)) {
                        value = client.get(positional.get(0));
                    }
                    out.println(value.orElse("Key not found"));
                    yield 0;
                }
                case "rm" -> {
                    expectArity(positional, "rm", 1, "KEY");
                    try (KvsClient client = connect(arguments)) {
                        client.remove(positional.get(0));
                    } catch (KeyNotFoundException e) {
                        err.println("Key not found");
                        yield CliFailure.FAILURE;
                    }
                    yield 0;
                }
                default -> throw CliFailure.usage("unknown command '" + command + "': expected set, get or rm");
            };
        } catch (CliFailure e) {
            err.println(PROGRAM + ": " + e.getMessage());
            if (e.exitCode() == CliFailure.USAGE) {
                err.println("Run '" + PROGRAM + " --help' for usage.");
            }
            printTrace(debug, err, e);
            return e.exitCode();
        } catch (KvsException e) {
            err.println(PROGRAM + ": " + e.getMessage());
            printTrace(debug, err, e);
            return CliFailure.FAILURE;
        }
    }

    /** JCommander passes an unknown option through as a positional argument; it is a mistake. */
    private static void checkNoUnknownOptions(List<String> positional) {
        for (String argument : positional) {
            if (argument.startsWith("-") && argument.length() > 1) {
                throw CliFailure.usage("unknown option '" + argument + "' (use -- before a key or value that starts with '-')");
            }
        }
    }

    private static void expectArity(List<String> arguments, String command, int arity, String shape) {
        if (arguments.size() != arity) {
            throw CliFailure.usage(command + " takes " + shape + ", got " + arguments.size()
                    + " argument" + (arguments.size() == 1 ? "" : "s"));
        }
    }

    private static KvsClient connect(Arguments arguments) {
        InetSocketAddress address = arguments.address != null ? arguments.address : Addresses.parse(Addresses.DEFAULT, false);
        if (arguments.timeoutSeconds <= 0) {
            throw CliFailure.usage("--timeout must be a positive number of seconds, got " + arguments.timeoutSeconds);
        }
        return KvsClient.connect(address, Duration.ofSeconds(arguments.timeoutSeconds));
    }

    private static String usage() {
        StringBuilder text = new StringBuilder();
        text.append("Usage: ").append(PROGRAM).append(" <command> [arguments] [--addr IP:PORT]\n\n")
                .append("Commands:\n")
                .append("  set KEY VALUE   Set KEY to VALUE\n")
                .append("  get KEY         Print the value of KEY, or \"Key not found\"\n")
                .append("  rm KEY          Remove KEY (exit 1 with \"Key not found\" if absent)\n\n")
                .append("Options:\n")
                .append("  --addr IP:PORT  Server address (default ").append(Addresses.DEFAULT).append("; IPv6 as [::1]:4000)\n")
                .append("  --timeout SECS  Seconds to wait for the server (default ").append(KvsClient.TIMEOUT_DEFAULT.toSeconds()).append(")\n")
                .append("  -V, --version   Print the version\n")
                .append("  -h, --help      Print this help\n")
                .append("  --              End of options: what follows is a key or value even if it starts with '-'\n");
        return text.toString();
    }

    static void printTrace(boolean debug, PrintStream err, Throwable e) {
        if (debug) {
            e.printStackTrace(err);
        }
    }
}
