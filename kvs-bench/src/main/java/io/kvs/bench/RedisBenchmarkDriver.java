package io.kvs.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Drives a server with redis-benchmark (Debian's redis-tools) over RESP, for {@code kvs-bench
 * compare --driver redis-benchmark}: the same binary and settings for kvs-server and
 * redis-server. One run is one redis-benchmark invocation of one test; its CSV line gives
 * requests per second and latency percentiles.
 */
final class RedisBenchmarkDriver {

    /** One run's figures: requests per second, and p50 and p99 latency in microseconds. */
    record Result(double throughput, double p50Micros, double p99Micros) {
    }

    private final String executable;

    RedisBenchmarkDriver(String executable) {
        this.executable = executable;
    }

    /** True if the executable is there. */
    boolean available() {
        return Files.isExecutable(Path.of(executable));
    }

    /**
     * Runs redis-benchmark test {@code test} ({@code set} or {@code get}) against the server on
     * {@code port}: {@code clients} connections, {@code requests} requests, random keys among
     * {@code keyspace}, {@code valueBytes}-byte values, {@code pipeline} requests in flight per
     * connection.
     *
     * @throws IOException if it fails or prints no result (an error reply from the server stops it)
     */
    Result run(int port, String test, int clients, int requests, int keyspace, int valueBytes, int pipeline)
            throws IOException, InterruptedException {
        List<String> command = List.of(executable, "-h", "127.0.0.1", "-p", Integer.toString(port),
                "-c", Integer.toString(clients), "-n", Integer.toString(requests), "-r", Integer.toString(keyspace),
                "-d", Integer.toString(valueBytes), "-P", Integer.toString(pipeline), "-t", test, "--csv");
        Path out = Files.createTempFile("redis-benchmark", ".csv");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!process.waitFor(10, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IOException("redis-benchmark did not finish within 10 minutes");
            }
            List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new IOException("redis-benchmark exited with " + process.exitValue() + ": " + String.join(" ", lines));
            }
            for (String line : lines) {
                List<String> fields = csv(line);
                if (fields.size() >= 7 && fields.get(0).equalsIgnoreCase(test)) {
                    return new Result(Double.parseDouble(fields.get(1)), 1000 * Double.parseDouble(fields.get(4)),
                            1000 * Double.parseDouble(fields.get(6)));
                }
            }
            throw new IOException("redis-benchmark printed no result for " + test + ": " + String.join(" ", lines));
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /** The fields of one line of redis-benchmark's CSV (every field quoted, none holding a quote). */
    private static List<String> csv(String line) {
        List<String> fields = new ArrayList<>();
        for (String field : line.split(",")) {
            fields.add(field.replace("\"", "").trim());
        }
        return fields;
    }
}
