package io.kvs.cli;

import com.beust.jcommander.JCommander;
import com.beust.jcommander.Parameter;
import com.beust.jcommander.ParameterException;
import com.beust.jcommander.Parameters;
import com.beust.jcommander.ParametersDelegate;
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

    /** Options that every command accepts. */
    static final class CommonOptions {
        @Parameter(names = "--addr", converter = Addresses.ClientConverter.class,
                description = "Server address, IP:PORT (IPv6 as [::1]:4000)")
        InetSocketAddress address;

        @Parameter(names = "--timeout", description = "Seconds to wait for the server")
        long timeoutSeconds = KvsClient.TIMEOUT_DEFAULT.toSeconds();

        @Parameter(names = {"-h", "--help"}, help = true, description = "Print this help")
        boolean help;

        @Parameter(names = "--debug", hidden = true)
        boolean debug;
    }

    static final class MainOptions {
        @ParametersDelegate
        CommonOptions common = new CommonOptions();

        @Parameter(names = {"-V", "--version"}, description = "Print the version")
        boolean version;
    }

    @Parameters(commandNames = "set", commandDescription = "Set KEY to VALUE")
    static final class SetCommand {
        @Parameter(description = "KEY VALUE")
        List<String> arguments = new ArrayList<>();
        @ParametersDelegate
        CommonOptions common = new CommonOptions();
    }

    @Parameters(commandNames = "get", commandDescription = "Print the value of KEY")
    static final class GetCommand {
        @Parameter(description = "KEY")
        List<String> arguments = new ArrayList<>();
        @ParametersDelegate
        CommonOptions common = new CommonOptions();
    }

    @Parameters(commandNames = "rm", commandDescription = "Remove KEY")
    static final class RemoveCommand {
        @Parameter(description = "KEY")
        List<String> arguments = new ArrayList<>();
        @ParametersDelegate
        CommonOptions common = new CommonOptions();
    }

    private ClientMain() {
    }

    public static void main(String[] args) {
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        System.exit(run(args, out, err));
    }

    /** Runs the program; returns the exit code. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        MainOptions main = new MainOptions();
        SetCommand set = new SetCommand();
        GetCommand get = new GetCommand();
        RemoveCommand rm = new RemoveCommand();
        JCommander commander = JCommander.newBuilder()
                .programName(PROGRAM)
                .addObject(main)
                .addCommand(set)
                .addCommand(get)
                .addCommand(rm)
                .build();
        boolean debug = Arrays.asList(args).contains("--debug");
        try {
            // JCommander has no end-of-options marker: split it off and add the rest verbatim.
            int dashes = Arrays.asList(args).indexOf("--");
            String[] options = dashes < 0 ? args : Arrays.copyOfRange(args, 0, dashes);
            List<String> literal = dashes < 0 ? List.of() : Arrays.asList(args).subList(dashes + 1, args.length);
            try {
                commander.parse(options);
            } catch (ParameterException e) {
                throw CliFailure.usage(e.getMessage());
            }
            String command = commander.getParsedCommand();
            if (main.version) {
                out.println(PROGRAM + " " + Version.current());
                return 0;
            }
            if (main.common.help || set.common.help || get.common.help || rm.common.help) {
                out.print(usage(commander));
                return 0;
            }
            if (command == null) {
                throw CliFailure.usage(literal.isEmpty() ? "missing command: expected set, get or rm" : "unknown command '" + literal.get(0) + "'");
            }
            return switch (command) {
                case "set" -> {
                    List<String> arguments = arguments(set.arguments, literal, "set", 2, "KEY VALUE");
                    try (KvsClient client = connect(main.common, set.common)) {
                        client.set(arguments.get(0), arguments.get(1));
                    }
                    yield 0;
                }
                case "get" -> {
                    List<String> arguments = arguments(get.arguments, literal, "get", 1, "KEY");
                    Optional<String> value;
                    try (KvsClient client = connect(main.common, get.common)) {
                        value = client.get(arguments.get(0));
                    }
                    out.println(value.orElse("Key not found"));
                    yield 0;
                }
                case "rm" -> {
                    List<String> arguments = arguments(rm.arguments, literal, "rm", 1, "KEY");
                    try (KvsClient client = connect(main.common, rm.common)) {
                        client.remove(arguments.get(0));
                    } catch (KeyNotFoundException e) {
                        err.println("Key not found");
                        yield CliFailure.FAILURE;
                    }
                    yield 0;
                }
                default -> throw CliFailure.usage("unknown command '" + command + "'");
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

    private static List<String> arguments(List<String> parsed, List<String> literal, String command, int arity, String shape) {
        for (String argument : parsed) {
            // JCommander passes an unknown option through as an argument; it is a mistake.
            if (argument.startsWith("-") && argument.length() > 1) {
                throw CliFailure.usage("unknown option '" + argument + "' (use -- before a key or value that starts with '-')");
            }
        }
        List<String> all = new ArrayList<>(parsed);
        all.addAll(literal);
        if (all.size() != arity) {
            throw CliFailure.usage(command + " takes " + shape + ", got " + all.size() + " argument" + (all.size() == 1 ? "" : "s"));
        }
        return all;
    }

    private static KvsClient connect(CommonOptions main, CommonOptions command) {
        InetSocketAddress address = command.address != null ? command.address
                : main.address != null ? main.address : Addresses.parse(Addresses.DEFAULT, false);
        long timeout = command.timeoutSeconds != KvsClient.TIMEOUT_DEFAULT.toSeconds() ? command.timeoutSeconds : main.timeoutSeconds;
        if (timeout <= 0) {
            throw CliFailure.usage("--timeout must be a positive number of seconds, got " + timeout);
        }
        return KvsClient.connect(address, Duration.ofSeconds(timeout));
    }

    private static String usage(JCommander commander) {
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
