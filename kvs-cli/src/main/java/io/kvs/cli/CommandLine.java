package io.kvs.cli;

import com.beust.jcommander.JCommander;
import com.beust.jcommander.ParameterDescription;
import com.beust.jcommander.ParameterException;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a command line exactly: the options by the names in a JCommander object, everything
 * else byte for byte. JCommander's own {@code parse} trims every argument, strips a pair of
 * double quotes around one and expands {@code @file}, which would change keys and values; so
 * the arguments are split here and only the options' values are handed to JCommander, as they
 * were typed, for conversion into the object's fields.
 *
 * <p>The rules: an option is {@code --name value} or {@code --name=value} (a flag such as
 * {@code --debug} takes no value), given at most once, anywhere before {@code --}; an argument that
 * starts with {@code -} but names no option is an error; everything else, and everything after
 * {@code --}, is a positional argument, unchanged. Failures are {@link CliFailure#usage} sentences.
 */
final class CommandLine {

    /** Ends the options: every argument after it is positional, even one that starts with '-'. */
    static final String END_OF_OPTIONS = "--";

    private CommandLine() {
    }

    /**
     * Assigns the options in {@code args} to the objects of {@code commander}; returns the
     * positional arguments, in order and unchanged. {@code unknownOptionHint} is appended to the
     * message for an unknown option.
     */
    static List<String> parse(JCommander commander, String[] args, String unknownOptionHint) {
        commander.createDescriptions();
        Map<String, ParameterDescription> options = new HashMap<>();
        for (ParameterDescription description : commander.getParameters()) {
            for (String name : description.getParameter().names()) {
                options.put(name, description);
            }
        }
        List<String> positional = new ArrayList<>();
        Set<ParameterDescription> given = new HashSet<>();
        for (int i = 0; i < args.length; i++) {
            String argument = args[i];
            if (argument.equals(END_OF_OPTIONS)) {
                positional.addAll(Arrays.asList(args).subList(i + 1, args.length));
                break;
            }
            if (!argument.startsWith("-") || argument.length() == 1) {
                positional.add(argument);
                continue;
            }
            int equals = argument.startsWith("--") ? argument.indexOf('=') : -1;
            String name = equals < 0 ? argument : argument.substring(0, equals);
            ParameterDescription option = options.get(name);
            if (option == null) {
                throw CliFailure.usage("unknown option '" + name + "'" + unknownOptionHint);
            }
            if (!given.add(option)) {
                throw CliFailure.usage("option " + name + " is given more than once");
            }
            if (isFlag(option)) {
                if (equals >= 0) {
                    throw CliFailure.usage("option " + name + " takes no value, got '" + argument + "'");
                }
                assign(option, "true");
            } else if (equals >= 0) {
                assign(option, argument.substring(equals + 1));
            } else if (i + 1 < args.length) {
                assign(option, args[++i]);
            } else {
                throw CliFailure.usage("option " + name + " needs a value");
            }
        }
        return positional;
    }

    private static boolean isFlag(ParameterDescription option) {
        Class<?> type = option.getParameterized().getType();
        return type == boolean.class || type == Boolean.class;
    }

    private static void assign(ParameterDescription option, String value) {
        try {
            option.addValue(value);
        } catch (ParameterException e) {
            throw CliFailure.usage(e.getMessage());
        }
    }

    /**
     * Refuses an argument the JVM could not decode as UTF-8. The JVM decodes the command line
     * with {@code sun.jnu.encoding} (UTF-8 under the launchers, which set a UTF-8 locale), and
     * turns bytes that are not UTF-8 into U+FFFD, the replacement character: an argument holding
     * one is refused rather than stored as something other than what was typed (so U+FFFD
     * itself cannot be passed as an argument; a value file can hold it). Under another encoding
     * every non-ASCII argument is refused, since it may have been decoded wrongly.
     */
    static void requireUtf8(String[] args) {
        boolean utf8 = isUtf8(System.getProperty("sun.jnu.encoding"));
        for (int i = 0; i < args.length; i++) {
            String argument = args[i];
            if (argument.indexOf('\uFFFD') >= 0) {
                throw CliFailure.usage("argument " + (i + 1) + " is not valid UTF-8 (it holds U+FFFD, the replacement"
                        + " character that stands for bytes that are not); kvs takes UTF-8 arguments only");
            }
            if (!utf8 && !isAscii(argument)) {
                throw CliFailure.usage("argument " + (i + 1) + " is not ASCII and the command line was decoded as "
                        + System.getProperty("sun.jnu.encoding") + ", not UTF-8; run under a UTF-8 locale (for example LC_ALL=C.UTF-8)");
            }
        }
    }

    private static boolean isUtf8(String encoding) {
        if (encoding == null) {
            return true;
        }
        try {
            return Charset.forName(encoding).equals(StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /** True if {@code flag} appears among the options, that is before any {@code --}. */
    static boolean hasFlag(String[] args, String flag) {
        for (String argument : args) {
            if (argument.equals(END_OF_OPTIONS)) {
                return false;
            }
            if (argument.equals(flag)) {
                return true;
            }
        }
        return false;
    }
}
