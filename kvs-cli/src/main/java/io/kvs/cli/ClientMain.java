package io.kvs.cli;

import com.beust.jcommander.JCommander;
import com.beust.jcommander.Parameter;
import io.kvs.core.KeyNotFoundException;
import io.kvs.core.KvsException;
import io.kvs.core.KvsLimits;
import io.kvs.net.ConnectionFailedException;
import io.kvs.net.KvsClient;
import io.kvs.net.KvsVersion;
import io.kvs.net.ServerErrorException;
import io.kvs.net.protocol.FrameDescriptor;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * {@code kvs-client <set|get|rm|status> ... [--addr IP:PORT[,...]]}: one request to a kvs server,
 * or to the first node of a replicated group that answers.
 *
 * <p>{@code set} prints nothing; {@code get} prints the value and a newline, or
 * {@code Key not found} (exit 0); {@code rm} of a missing key prints {@code Key not found} on
 * stderr and exits 1. Bad arguments exit 2; every other failure exits 1 with one sentence on
 * stderr. Keys and values are taken exactly as given (see {@link CommandLine}): nothing is
 * trimmed; arguments after {@code --} are never options, so a key or value may start with a dash.
 * {@code set KEY --value-file PATH} takes the value from a file or standard input
 * ({@link ValueFile}), for values too large for a command line.
 */
public final class ClientMain {

    static final String PROGRAM = "kvs-client";
    /** The environment variable holding the password (never a command-line argument: others can read those). */
    static final String PASSWORD_VARIABLE = "KVS_PASSWORD";

    /**
     * The options of every command, as one JCommander object; the command and its arguments are
     * the positional arguments. (One object with a handful of annotations, rather than an object
     * per command, keeps JCommander's reflection, most of this program's start-up time, small.)
     */
    static final class Arguments {
        @Parameter(names = "--addr")
        String address = Addresses.DEFAULT;

        @Parameter(names = "--timeout")
        String timeout = Long.toString(KvsClient.TIMEOUT_DEFAULT.toSeconds());

        @Parameter(names = "--password-file")
        String passwordFile;

        @Parameter(names = "--value-file")
        String valueFile;

        @Parameter(names = {"-V", "--version"})
        boolean version;

        @Parameter(names = {"-h", "--help"}, help = true)
        boolean help;

        @Parameter(names = "--debug")
        boolean debug;
    }

    private ClientMain() {
    }

    public static void main(String[] args) {
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        int exitCode = run(args, System.in, out, err);
        out.flush();
        err.flush();
        // halt, not exit: the client has no shutdown hooks to run, and since JDK 21 System.exit
        // looks up a System.Logger, which scans every jar on the class path for a logging
        // backend (17 ms, a fifth of the client's run time on JDK 25).
        Runtime.getRuntime().halt(exitCode);
    }

    /** Runs the program with {@code in} as standard input (for {@code --value-file -}); returns the exit code. */
    static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        Arguments arguments = new Arguments();
        boolean debug = CommandLine.hasFlag(args, "--debug");
        try {
            CommandLine.requireUtf8(args);
            JCommander commander = JCommander.newBuilder().programName(PROGRAM).addObject(arguments)
                    .expandAtSign(false).build();
            List<String> positional = CommandLine.parse(commander, args,
                    " (use -- before a key or value that starts with '-')");
            if (arguments.version) {
                out.println(PROGRAM + " " + KvsVersion.current());
                return 0;
            }
            if (arguments.help) {
                out.print(usage());
                return 0;
            }
            if (positional.isEmpty()) {
                throw CliFailure.usage("missing command: expected set, get, rm or status");
            }
            String command = positional.remove(0);
            if (!command.equals("set") && !command.equals("get") && !command.equals("rm") && !command.equals("status")) {
                throw CliFailure.usage("unknown command '" + command + "': expected set, get, rm or status");
            }
            if (arguments.valueFile != null && !command.equals("set")) {
                throw CliFailure.usage("--value-file goes with set only, not " + command);
            }
            if (command.equals("set") && arguments.valueFile != null) {
                if (positional.size() != 1) {
                    throw CliFailure.usage("set with --value-file takes KEY only, got " + positional.size() + " arguments");
                }
            } else if (command.equals("status")) {
                expectArity(positional, command, 0, "no arguments");
            } else {
                expectArity(positional, command, command.equals("set") ? 2 : 1, command.equals("set") ? "KEY VALUE" : "KEY");
            }
            List<InetSocketAddress> addresses = addresses(arguments);
            Duration timeout = NumericOptions.seconds("--timeout", arguments.timeout, KvsClient.TIMEOUT_MIN, KvsClient.TIMEOUT_MAX);
            String password = password(arguments);
            Failover nodes = new Failover(addresses, timeout, password);
            return switch (command) {
                case "set" -> {
                    String value = arguments.valueFile != null ? ValueFile.read(arguments.valueFile, in) : positional.get(1);
                    nodes.run(client -> {
                        client.set(positional.get(0), value);
                        return null;
                    });
                    yield 0;
                }
                case "get" -> {
                    Optional<String> value = nodes.run(client -> client.get(positional.get(0)));
                    out.println(value.orElse("Key not found"));
                    yield 0;
                }
                case "status" -> {
                    out.print(nodes.run(KvsClient::status));
                    yield 0;
                }
                default -> {
                    try {
                        nodes.run(client -> {
                            client.remove(positional.get(0));
                            return null;
                        });
                    } catch (KeyNotFoundException e) {
                        err.println("Key not found");
                        yield CliFailure.FAILURE;
                    }
                    yield 0;
                }
            };
        } catch (CliFailure e) {
            err.println(PROGRAM + ": " + e.getMessage());
            if (e.exitCode() == CliFailure.USAGE) {
                err.println("Run '" + PROGRAM + " --help' for usage.");
            }
            printTrace(debug, err, e);
            return e.exitCode();
        } catch (ServerErrorException e) {
            if (e.errorCode() == FrameDescriptor.ERROR_AUTH) {
                err.println(PROGRAM + ": " + e.getMessage() + " (the server needs its password: set " + PASSWORD_VARIABLE
                        + " or give --password-file PATH)");
            } else {
                err.println(PROGRAM + ": " + e.getMessage());
            }
            printTrace(debug, err, e);
            return CliFailure.FAILURE;
        } catch (KvsException e) {
            err.println(PROGRAM + ": " + e.getMessage());
            printTrace(debug, err, e);
            return CliFailure.FAILURE;
        } catch (RuntimeException e) {
            err.println(PROGRAM + ": unexpected failure: " + e);
            printTrace(debug, err, e);
            return CliFailure.FAILURE;
        }
    }

    /** The password: from {@code --password-file}, else the {@value #PASSWORD_VARIABLE} variable, else none (null). */
    private static String password(Arguments arguments) {
        if (arguments.passwordFile != null) {
            return PasswordFile.read(java.nio.file.Path.of(arguments.passwordFile));
        }
        String password = System.getenv(PASSWORD_VARIABLE);
        return password == null || password.isEmpty() ? null : password;
    }

    /**
     * The nodes of {@code --addr}, tried in turn: a node that cannot be reached, or that answers
     * UNAVAILABLE (a replicated node without a majority, a server shutting down), hands the
     * request to the next. A SET or RM that a node answered UNAVAILABLE may still have been
     * applied; repeating a SET is harmless, a repeated RM may then say the key is not found.
     */
    private record Failover(List<InetSocketAddress> addresses, Duration timeout, String password) {

        <T> T run(java.util.function.Function<KvsClient, T> request) {
            RuntimeException last = null;
            for (InetSocketAddress address : addresses) {
                try (KvsClient client = connect(address, timeout, password)) {
                    return request.apply(client);
                } catch (ConnectionFailedException e) {
                    last = e;
                } catch (ServerErrorException e) {
                    if (e.errorCode() != FrameDescriptor.ERROR_UNAVAILABLE) {
                        throw e;
                    }
                    last = e;
                }
            }
            if (addresses.size() == 1) {
                throw last;
            }
            throw new KvsException("no node of " + addresses.size() + " answered; the last: " + last.getMessage(), last);
        }
    }

    /** Connects and, with a password, authenticates; a server that wants a password says how to give one. */
    private static KvsClient connect(InetSocketAddress address, Duration timeout, String password) {
        KvsClient client = KvsClient.connect(address, timeout);
        try {
            if (password != null) {
                client.auth(password);
            }
            return client;
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
    }

    private static void expectArity(List<String> arguments, String command, int arity, String shape) {
        if (arguments.size() != arity) {
            throw CliFailure.usage(command + " takes " + shape + ", got " + arguments.size()
                    + " argument" + (arguments.size() == 1 ? "" : "s"));
        }
    }

    /** The addresses of {@code --addr}: one, or several separated by commas (the nodes of a replicated group). */
    private static List<InetSocketAddress> addresses(Arguments arguments) {
        List<InetSocketAddress> addresses = new java.util.ArrayList<>();
        try {
            for (String address : arguments.address.split(",", -1)) {
                addresses.add(Addresses.parse(address.strip(), false));
            }
        } catch (IllegalArgumentException e) {
            throw CliFailure.usage(e.getMessage());
        }
        return addresses;
    }

    private static String usage() {
        StringBuilder text = new StringBuilder();
        text.append("Usage: ").append(PROGRAM).append(" <command> [arguments] [options]\n\n")
                .append("Commands:\n")
                .append("  set KEY VALUE              Set KEY to VALUE\n")
                .append("  set KEY --value-file PATH  Set KEY to the contents of PATH ('-': standard input), byte for byte\n")
                .append("  get KEY                    Print the value of KEY, or \"Key not found\"\n")
                .append("  rm KEY                     Remove KEY (exit 1 with \"Key not found\" if absent)\n")
                .append("  status                     Print the server's Raft status (field:value lines; raft_role:standalone\n")
                .append("                             for a single server)\n\n")
                .append("Options:\n")
                .append("  --addr IP:PORT|HOST:PORT[,...]\n")
                .append("                             Server address (default ").append(Addresses.DEFAULT)
                .append("; IPv6 as [::1]:4000); several, separated by\n")
                .append("                             commas, are tried in turn (the nodes of a replicated group)\n")
                .append("  --password-file PATH       Authenticate with the password in PATH (default: the ")
                .append(PASSWORD_VARIABLE).append(" environment\n")
                .append("                             variable, if set; a password is never a command-line argument)\n")
                .append("  --timeout SECS             Seconds to wait for the server, fractions allowed (default ")
                .append(KvsClient.TIMEOUT_DEFAULT.toSeconds()).append("; at most ").append(KvsClient.TIMEOUT_MAX.toSeconds())
                .append(")\n")
                .append("  -V, --version              Print the version\n")
                .append("  -h, --help                 Print this help\n")
                .append("  --debug                    Print the stack trace of a failure\n")
                .append("  --                         End of options: what follows is a key or value even if it starts with '-'\n\n")
                .append("Options may also be written --name=value. Keys and values are taken exactly as given and must be\n")
                .append("UTF-8 (an argument holding U+FFFD, the mark of bytes that are not, is refused); a value is at most ")
                .append(KvsLimits.MAX_VALUE_BYTES).append(" bytes,\n")
                .append("and one larger than a command line allows (about 128 KiB on Linux) goes through --value-file.\n");
        return text.toString();
    }

    static void printTrace(boolean debug, PrintStream err, Throwable e) {
        if (debug) {
            e.printStackTrace(err);
        }
    }
}
