package io.kvs.bench;

import com.beust.jcommander.JCommander;
import com.beust.jcommander.Parameter;
import com.beust.jcommander.ParameterException;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * {@code kvs-bench compare}: starts kvs-server (default sync every-second) and redis-server
 * ({@code appendonly yes}, {@code appendfsync everysec}) on loopback, runs the same workloads
 * against each in turn with the same load generator, and prints one side-by-side table.
 */
public final class CompareMain {

    /** The command line of {@code kvs-bench compare}. */
    public static final class Options {
        @Parameter(names = "--redis-server", description = "redis-server executable (Debian package redis-server)")
        String redisServer = "/usr/bin/redis-server";
        @Parameter(names = "--kvs-server", description = "kvs-server launcher")
        String kvsServer = "bin/kvs-server";
        @Parameter(names = "--clients", description = "Concurrent connections")
        int clients = 50;
        @Parameter(names = "--threads", description = "Load generator threads sharing the connections (default: one per connection)")
        int threads;
        @Parameter(names = "--requests", description = "Requests per workload")
        int requests = 300_000;
        @Parameter(names = "--warmup-requests", description = "Requests per workload and server in an unmeasured first round (JIT warm-up; after 100,000 the JIT still compiled 200 methods in the first measured round)")
        int warmupRequests = 1_000_000;
        @Parameter(names = "--keyspace", description = "Distinct keys")
        int keyspace = 10_000;
        @Parameter(names = "--value-bytes", description = "Bytes per value")
        int valueBytes = 100;
        @Parameter(names = "--driver", description = "kvs (kvs's load generator: kvs frames for kvs-server, RESP for redis-server) "
                + "or redis-benchmark (RESP for both)")
        String driver = "kvs";
        @Parameter(names = "--redis-benchmark", description = "redis-benchmark executable (Debian package redis-tools), for --driver redis-benchmark")
        String redisBenchmark = "/usr/bin/redis-benchmark";
        @Parameter(names = "--rounds", description = "Measured rounds with --driver redis-benchmark, servers in turns (kvs first in odd rounds, Redis first in even ones); medians are shown")
        int rounds = 5;
        @Parameter(names = {"-h", "--help"}, help = true, description = "Print this help")
        boolean help;
    }

    private record Workload(String name, String mix, String test, int pipeline) {
    }

    private static final List<Workload> WORKLOADS = List.of(
            new Workload("SET, pipeline 1", "1:0", "set", 1),
            new Workload("GET, pipeline 1", "0:1", "get", 1),
            new Workload("SET, pipeline 16", "1:0", "set", 16),
            new Workload("GET, pipeline 16", "0:1", "get", 16));

    private CompareMain() {
    }

    static int main(String[] args) throws Exception {
        Options options = new Options();
        JCommander commander = JCommander.newBuilder().programName("kvs-bench compare").addObject(options).build();
        try {
            commander.parse(args);
        } catch (ParameterException e) {
            System.err.println("kvs-bench compare: " + e.getMessage());
            return 2;
        }
        if (options.help) {
            commander.usage();
            return 0;
        }
        if (!options.driver.equals("kvs") && !options.driver.equals("redis-benchmark")) {
            System.err.println("kvs-bench compare: --driver must be kvs or redis-benchmark, got '" + options.driver + "'");
            return 2;
        }
        if (options.driver.equals("redis-benchmark") && !new RedisBenchmarkDriver(options.redisBenchmark).available()) {
            System.err.println("kvs-bench compare: no redis-benchmark at " + options.redisBenchmark
                    + " (install the Debian package redis-tools, or pass --redis-benchmark)");
            return 1;
        }
        if (options.rounds < 1) {
            System.err.println("kvs-bench compare: --rounds must be at least 1, got " + options.rounds);
            return 2;
        }
        if (!Files.isExecutable(Path.of(options.redisServer))) {
            System.err.println("kvs-bench compare: no redis-server at " + options.redisServer
                    + " (install the Debian package redis-server, or pass --redis-server)");
            return 1;
        }
        Path work = Files.createTempDirectory("kvs-compare");
        int kvsPort = freePort();
        int redisPort = freePort();
        Process kvs = null;
        Process redis = null;
        try {
            Files.createDirectories(work.resolve("kvs"));
            Files.createDirectories(work.resolve("redis"));
            kvs = new ProcessBuilder(Path.of(options.kvsServer).toAbsolutePath().toString(),
                    "--addr", "127.0.0.1:" + kvsPort, "--data-dir", work.resolve("kvs").toString())
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(work.resolve("kvs-server.log").toFile()).start();
            redis = new ProcessBuilder(options.redisServer, "--port", Integer.toString(redisPort),
                    "--bind", "127.0.0.1", "--dir", work.resolve("redis").toString(), "--appendonly", "yes",
                    "--appendfsync", "everysec", "--save", "", "--daemonize", "no", "--loglevel", "warning")
                    .redirectOutput(work.resolve("redis-server.log").toFile()).redirectErrorStream(true).start();
            awaitListening(kvsPort, kvs, "kvs-server");
            awaitListening(redisPort, redis, "redis-server");
            if (options.driver.equals("redis-benchmark")) {
                return compareWithRedisBenchmark(options, kvsPort, redisPort);
            }

            boolean prefilled = false;
            if (options.warmupRequests > 0) {
                for (Workload workload : WORKLOADS) {
                    run(options, "kvs", kvsPort, workload, prefilled, options.warmupRequests);
                    run(options, "resp", redisPort, workload, prefilled, options.warmupRequests);
                    prefilled = true;
                }
            }
            List<String[]> rows = new ArrayList<>();
            for (Workload workload : WORKLOADS) {
                LoadGenerator.Report kvsReport = run(options, "kvs", kvsPort, workload, prefilled, options.requests);
                LoadGenerator.Report redisReport = run(options, "resp", redisPort, workload, prefilled, options.requests);
                prefilled = true;
                rows.add(new String[]{workload.name(), rate(kvsReport), rate(redisReport),
                        String.format(Locale.ROOT, "%.2f", kvsReport.throughput() / redisReport.throughput()),
                        latency(kvsReport), latency(redisReport)});
            }
            System.out.printf(Locale.ROOT, "%n%d clients on %s, %,d requests per workload, %,d keys, %d-byte values%n%n",
                    options.clients, options.threads == 0 ? "a thread each" : options.threads + " load-generator thread(s)",
                    options.requests, options.keyspace, options.valueBytes);
            System.out.println("| workload | kvs-server req/s | redis-server req/s | kvs / redis | kvs p50 / p99 / p99.9 (us) | redis p50 / p99 / p99.9 (us) |");
            System.out.println("| --- | ---: | ---: | ---: | ---: | ---: |");
            for (String[] row : rows) {
                System.out.println("| " + String.join(" | ", row) + " |");
            }
            return 0;
        } finally {
            stop(kvs);
            stop(redis);
            Engines.delete(work);
        }
    }

    /**
     * Both servers driven by redis-benchmark over RESP: a warm-up round, then {@code --rounds}
     * rounds, each running every workload against both servers, in an order that alternates by
     * round ({@link #kvsFirst}); prints the medians of the rounds' throughput and p50 and p99.
     */
    private static int compareWithRedisBenchmark(Options options, int kvsPort, int redisPort)
            throws IOException, InterruptedException {
        RedisBenchmarkDriver driver = new RedisBenchmarkDriver(options.redisBenchmark);
        int warmup = Math.max(options.warmupRequests, 1);
        for (Workload workload : WORKLOADS) {
            driver.run(kvsPort, workload.test(), options.clients, warmup, options.keyspace, options.valueBytes, workload.pipeline());
            driver.run(redisPort, workload.test(), options.clients, warmup, options.keyspace, options.valueBytes, workload.pipeline());
        }
        List<List<RedisBenchmarkDriver.Result>> kvsResults = new ArrayList<>();
        List<List<RedisBenchmarkDriver.Result>> redisResults = new ArrayList<>();
        for (int i = 0; i < WORKLOADS.size(); i++) {
            kvsResults.add(new ArrayList<>());
            redisResults.add(new ArrayList<>());
        }
        for (int round = 1; round <= options.rounds; round++) {
            for (int i = 0; i < WORKLOADS.size(); i++) {
                Workload workload = WORKLOADS.get(i);
                RedisBenchmarkDriver.Result kvs;
                RedisBenchmarkDriver.Result redis;
                if (kvsFirst(round)) {
                    kvs = run(driver, options, kvsPort, workload);
                    redis = run(driver, options, redisPort, workload);
                } else {
                    redis = run(driver, options, redisPort, workload);
                    kvs = run(driver, options, kvsPort, workload);
                }
                kvsResults.get(i).add(kvs);
                redisResults.get(i).add(redis);
                System.err.printf(Locale.ROOT, "round %d %s: kvs %,.0f req/s p99 %.0f us, redis %,.0f req/s p99 %.0f us%n",
                        round, workload.name(), kvs.throughput(), kvs.p99Micros(), redis.throughput(), redis.p99Micros());
            }
        }
        System.out.printf(Locale.ROOT, "%nredis-benchmark, %d clients, %,d requests per run, %,d random keys, %d-byte values, "
                + "medians of %d rounds%n%n", options.clients, options.requests, options.keyspace, options.valueBytes, options.rounds);
        System.out.println("| workload | kvs-server req/s | redis-server req/s | kvs / redis | kvs p50 / p99 (us) | redis p50 / p99 (us) | kvs p99 / redis p99 |");
        System.out.println("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        for (int i = 0; i < WORKLOADS.size(); i++) {
            double kvsRate = median(kvsResults.get(i), RedisBenchmarkDriver.Result::throughput);
            double redisRate = median(redisResults.get(i), RedisBenchmarkDriver.Result::throughput);
            double kvsP99 = median(kvsResults.get(i), RedisBenchmarkDriver.Result::p99Micros);
            double redisP99 = median(redisResults.get(i), RedisBenchmarkDriver.Result::p99Micros);
            System.out.printf(Locale.ROOT, "| %s | %,.0f | %,.0f | %.2f | %.0f / %.0f | %.0f / %.0f | %.2f |%n", WORKLOADS.get(i).name(),
                    kvsRate, redisRate, kvsRate / redisRate,
                    median(kvsResults.get(i), RedisBenchmarkDriver.Result::p50Micros), kvsP99,
                    median(redisResults.get(i), RedisBenchmarkDriver.Result::p50Micros), redisP99, kvsP99 / redisP99);
        }
        return 0;
    }

    /** One redis-benchmark run of {@code workload} against the server on {@code port}, with the options' settings. */
    private static RedisBenchmarkDriver.Result run(RedisBenchmarkDriver driver, Options options, int port, Workload workload)
            throws IOException, InterruptedException {
        return driver.run(port, workload.test(), options.clients, options.requests, options.keyspace, options.valueBytes,
                workload.pipeline());
    }

    /**
     * True if kvs-server goes first in measured {@code round} (from 1): odd rounds kvs first, even
     * rounds Redis first, so that neither server always runs in the wake of the other's
     * background work (kvs's compaction and segment sync, Redis's AOF fsync and rewrite), which
     * outlasts the run that caused it.
     */
    static boolean kvsFirst(int round) {
        return round % 2 == 1;
    }

    private static double median(List<RedisBenchmarkDriver.Result> results, java.util.function.ToDoubleFunction<RedisBenchmarkDriver.Result> figure) {
        double[] values = results.stream().mapToDouble(figure).sorted().toArray();
        int middle = values.length / 2;
        return values.length % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }

    private static LoadGenerator.Report run(Options options, String protocol, int port, Workload workload,
                                            boolean prefilled, int requests) throws IOException, InterruptedException {
        LoadGenerator.Options load = new LoadGenerator.Options();
        load.address = "127.0.0.1:" + port;
        load.protocol = protocol;
        load.clients = options.clients;
        load.threads = options.threads;
        load.requests = requests;
        load.keyspace = options.keyspace;
        load.valueBytes = options.valueBytes;
        load.mix = workload.mix();
        load.pipeline = workload.pipeline();
        load.noPrefill = prefilled;
        load.quiet = true;
        LoadGenerator.Report report = LoadGenerator.run(load);
        System.err.println((requests == options.requests ? "" : "warm-up ") + workload.name() + " -> " + report.describe());
        return report;
    }

    private static String rate(LoadGenerator.Report report) {
        return String.format(Locale.ROOT, "%,.0f", report.throughput());
    }

    private static String latency(LoadGenerator.Report report) {
        return String.format(Locale.ROOT, "%.0f / %.0f / %.0f", report.p50(), report.p99(), report.p999());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void awaitListening(int port, Process process, String name) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException(name + " exited with " + process.exitValue());
            }
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
                if (socket.isConnected()) {
                    return;
                }
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        throw new IOException(name + " did not start listening on port " + port);
    }

    private static void stop(Process process) throws InterruptedException {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
