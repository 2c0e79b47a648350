package io.kvs.bench;

import com.beust.jcommander.JCommander;
import com.beust.jcommander.Parameter;
import com.beust.jcommander.ParameterException;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code kvs-bench net}: many concurrent clients against a kvs server (or, with
 * {@code --protocol resp}, a Redis server), each on its own connection, sending
 * {@code --pipeline} requests before reading their replies. By default each connection has its
 * own thread; {@code --threads N} shares the connections among N threads, each of which sends a
 * batch on every one of its connections and then reads their replies in turn (fewer threads
 * leave more of a small machine to the server). Prints a progress line each second, then
 * throughput and latency percentiles (HdrHistogram). A request's latency is the time from
 * sending its batch to reading its reply.
 */
public final class LoadGenerator {

    /** The command line of {@code kvs-bench net}. */
    public static final class Options {
        @Parameter(names = "--addr", description = "Server address IP:PORT")
        public String address = "127.0.0.1:4000";
        @Parameter(names = "--clients", description = "Concurrent connections")
        public int clients = 50;
        @Parameter(names = "--requests", description = "Requests in all, after the prefill")
        public int requests = 200_000;
        @Parameter(names = "--pipeline", description = "Requests in flight per connection")
        public int pipeline = 1;
        @Parameter(names = "--threads", description = "Threads sharing the connections (default: one per connection)")
        public int threads;
        @Parameter(names = "--keyspace", description = "Distinct keys (key0 ... keyN-1)")
        public int keyspace = 10_000;
        @Parameter(names = "--value-bytes", description = "Bytes per value")
        public int valueBytes = 100;
        @Parameter(names = "--mix", description = "Ratio of sets to gets, SET:GET (1:0 only sets, 0:1 only gets)")
        public String mix = "1:1";
        @Parameter(names = "--protocol", description = "kvs, or resp for Redis")
        public String protocol = "kvs";
        @Parameter(names = "--no-prefill", description = "Do not set every key once before measuring")
        public boolean noPrefill;
        @Parameter(names = "--quiet", description = "No progress line")
        public boolean quiet;
        @Parameter(names = {"-h", "--help"}, help = true, description = "Print this help")
        public boolean help;
    }

    /** What one run measured; latencies in microseconds. */
    public record Report(String protocol, int clients, int threads, int pipeline, String mix, long requests, double seconds,
                         double throughput, double p50, double p99, double p999, double max) {
        String describe() {
            return String.format(Locale.ROOT,
                    "%s: %,d requests, %d clients on %d threads, pipeline %d, mix %s: %,.0f req/s; latency us p50 %.0f, p99 %.0f, p99.9 %.0f, max %.0f",
                    protocol, requests, clients, threads, pipeline, mix, throughput, p50, p99, p999, max);
        }
    }

    private LoadGenerator() {
    }

    /** Parses and runs; returns the exit code. */
    static int main(String[] args) {
        Options options = new Options();
        JCommander commander = JCommander.newBuilder().programName("kvs-bench net").addObject(options).build();
        try {
            commander.parse(args);
        } catch (ParameterException e) {
            System.err.println("kvs-bench net: " + e.getMessage());
            return 2;
        }
        if (options.help) {
            commander.usage();
            return 0;
        }
        try {
            System.out.println(run(options).describe());
            return 0;
        } catch (IllegalArgumentException e) {
            System.err.println("kvs-bench net: " + e.getMessage());
            return 2;
        } catch (IOException e) {
            System.err.println("kvs-bench net: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    /** Runs the load described by {@code options}. */
    public static Report run(Options options) throws IOException, InterruptedException {
        InetSocketAddress address = parseAddress(options.address);
        String[] ratio = options.mix.split(":");
        if (ratio.length != 2) {
            throw new IllegalArgumentException("--mix must look like SET:GET, for example 1:1, got " + options.mix);
        }
        int sets = Integer.parseInt(ratio[0]);
        int gets = Integer.parseInt(ratio[1]);
        if (sets < 0 || gets < 0 || sets + gets == 0 || options.clients < 1 || options.pipeline < 1
                || options.keyspace < 1 || options.requests < options.clients || options.threads < 0) {
            throw new IllegalArgumentException("clients, pipeline and keyspace must be positive, requests at least clients, mix not 0:0");
        }
        int threadCount = options.threads == 0 ? options.clients : Math.min(options.threads, options.clients);
        byte[][] keys = new byte[options.keyspace][];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = ("key" + i).getBytes(StandardCharsets.UTF_8);
        }
        byte[] value = "v".repeat(options.valueBytes).getBytes(StandardCharsets.UTF_8);
        if (!options.noPrefill) {
            prefill(options.protocol, address, keys, value);
        }

        AtomicLong done = new AtomicLong();
        List<Histogram> histograms = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        int perClient = options.requests / options.clients;
        long start = System.nanoTime();
        for (int t = 0; t < threadCount; t++) {
            Histogram histogram = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
            histograms.add(histogram);
            int first = t;
            Thread thread = new Thread(() -> {
                List<LoadConnection> connections = new ArrayList<>();
                try {
                    List<SplittableRandom> randoms = new ArrayList<>();
                    for (int c = first; c < options.clients; c += threadCount) {
                        connections.add(LoadConnection.open(options.protocol, address));
                        randoms.add(new SplittableRandom(c * 7919L + 1));
                    }
                    long[] sent = new long[connections.size()];
                    int remaining = perClient;
                    while (remaining > 0) {
                        int batch = Math.min(options.pipeline, remaining);
                        for (int i = 0; i < connections.size(); i++) {
                            LoadConnection connection = connections.get(i);
                            SplittableRandom random = randoms.get(i);
                            for (int r = 0; r < batch; r++) {
                                byte[] key = keys[random.nextInt(keys.length)];
                                if (random.nextInt(sets + gets) < sets) {
                                    connection.set(key, value);
                                } else {
                                    connection.get(key);
                                }
                            }
                            sent[i] = System.nanoTime();
                            connection.flush();
                        }
                        for (int i = 0; i < connections.size(); i++) {
                            for (int r = 0; r < batch; r++) {
                                connections.get(i).awaitReply();
                                histogram.recordValue(Math.min(System.nanoTime() - sent[i], histogram.getHighestTrackableValue()));
                            }
                            done.addAndGet(batch);
                        }
                        remaining -= batch;
                    }
                } catch (IOException | RuntimeException e) {
                    failures.add(e);
                } finally {
                    for (LoadConnection connection : connections) {
                        try {
                            connection.close();
                        } catch (IOException e) {
                            failures.add(e);
                        }
                    }
                }
            }, "load-" + t);
            threads.add(thread);
            thread.start();
        }
        long total = (long) perClient * options.clients;
        for (Thread thread : threads) {
            while (thread.isAlive()) {
                thread.join(1000);
                if (options.quiet) {
                    continue;
                }
                double elapsed = (System.nanoTime() - start) / 1e9;
                System.err.printf(Locale.ROOT, "\r%5.1f s  %,d / %,d requests  %,.0f req/s   ", elapsed, done.get(), total,
                        done.get() / Math.max(elapsed, 1e-9));
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (!options.quiet) {
            System.err.println();
        }
        if (!failures.isEmpty()) {
            throw new IOException("load failed: " + failures.get(0), failures.get(0));
        }
        Histogram all = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        histograms.forEach(all::add);
        long answered = done.get(); // counted reply by reply, so a connection left idle would show
        return new Report(options.protocol, options.clients, threadCount, options.pipeline, options.mix, answered, seconds,
                answered / seconds, micros(all.getValueAtPercentile(50)), micros(all.getValueAtPercentile(99)),
                micros(all.getValueAtPercentile(99.9)), micros(all.getMaxValue()));
    }

    private static void prefill(String protocol, InetSocketAddress address, byte[][] keys, byte[] value) throws IOException {
        try (LoadConnection connection = LoadConnection.open(protocol, address)) {
            for (int start = 0; start < keys.length; start += 100) {
                int end = Math.min(keys.length, start + 100);
                for (int i = start; i < end; i++) {
                    connection.set(keys[i], value);
                }
                connection.flush();
                for (int i = start; i < end; i++) {
                    connection.awaitReply();
                }
            }
        }
    }

    private static double micros(long nanos) {
        return nanos / 1000.0;
    }

    static InetSocketAddress parseAddress(String text) throws IOException {
        int colon = text.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("address must be IP:PORT, got " + text);
        }
        String host = text.substring(0, colon).replace("[", "").replace("]", "");
        return new InetSocketAddress(InetAddress.getByName(host), Integer.parseInt(text.substring(colon + 1)));
    }
}
