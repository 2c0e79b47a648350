package io.kvs.bench;

import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code kvs-bench <jmh|net|compare|heap|chart|startup-probe> ...}: the entry point of
 * {@code bin/kvs-bench}. {@code jmh} runs the engine benchmarks in full mode (the settings on
 * each class) or {@code --quick} (one fork, short iterations, a few minutes in all); other
 * arguments go to JMH (a benchmark regex, {@code -p engine=kvs}, ...). Results are written as
 * JSON to {@code kvs-bench/target/jmh-result.json} unless {@code -rff} says otherwise.
 */
public final class BenchMain {

    static final String DEFAULT_RESULT_FILE = "kvs-bench/target/jmh-result.json";

    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            usage();
            System.exit(2);
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        switch (args[0]) {
            case "jmh" -> runJmh(rest);
            case "net" -> System.exit(LoadGenerator.main(rest));
            case "compare" -> System.exit(CompareMain.main(rest));
            case "heap" -> HeapFootprint.main(rest);
            case "chart" -> ChartMain.main(rest);
            case "startup-probe" -> StartupProbe.main(rest);
            default -> {
                System.err.println("kvs-bench: unknown command '" + args[0] + "'");
                usage();
                System.exit(2);
            }
        }
    }

    private static void usage() {
        System.err.println("""
                Usage: kvs-bench <command> [options]
                  jmh [--quick] [JMH options]   engine benchmarks (full mode unless --quick)
                  net [options]                 network load generator (--help for options)
                  compare [options]             kvs-server and redis-server side by side (--help)
                  heap [--keys N] [--engine E]  heap bytes per key of an engine's index
                  chart [--input F] [--output F] charts from JMH JSON results
                  startup-probe PORT            minimal socket client (start-up reference)""");
    }

    private static void runJmh(String[] args) throws RunnerException {
        List<String> jmhArgs = new ArrayList<>(Arrays.asList(args));
        boolean quick = jmhArgs.remove("--quick");
        CommandLineOptions commandLine;
        try {
            commandLine = new CommandLineOptions(jmhArgs.toArray(new String[0]));
        } catch (CommandLineOptionException e) {
            System.err.println("kvs-bench jmh: " + e.getMessage());
            System.exit(2);
            return;
        }
        ChainedOptionsBuilder options = new OptionsBuilder().parent(commandLine)
                .jvmArgsAppend(JvmFlags.forThisJdk().toArray(new String[0]));
        if (commandLine.getIncludes().isEmpty()) {
            options.include("io\\.kvs\\.bench\\..*Benchmark");
        }
        if (commandLine.getResult().hasValue() == false) {
            options.result(DEFAULT_RESULT_FILE).resultFormat(ResultFormatType.JSON);
        }
        if (quick) {
            options.forks(1)
                    .warmupIterations(2).warmupTime(TimeValue.seconds(1))
                    .measurementIterations(3).measurementTime(TimeValue.seconds(1));
        }
        new Runner(options.build()).run();
    }
}
