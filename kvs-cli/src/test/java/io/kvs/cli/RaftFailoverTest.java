package io.kvs.cli;

import io.kvs.core.EngineKind;
import io.kvs.core.KvStoreOptions;
import io.kvs.core.KvsEngine;
import io.kvs.core.LoopbackPorts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Three kvs-server processes started as docs/REPLICATION.md says, with writers going through
 * every node: the leader is killed with SIGKILL ({@code kvs.raft.kills} times: 3 in CI, 100 with
 * {@code -Plong}) and restarted, then a follower is. Afterwards every acknowledged write is in every node's engine
 * (each data directory opened directly), and the time from each kill to the first acknowledged
 * write is reported (docs/BENCHMARKS.md, "Failover").
 */
class RaftFailoverTest {

    private static final Path ROOT = Path.of(System.getProperty("kvs.repository.root", "..")).toAbsolutePath().normalize();
    private static final Path SERVER = ROOT.resolve("bin/kvs-server");
    private static final int NODES = 3;
    private static final int WRITERS = 4;
    private static final long START_TIMEOUT_SECONDS = 60;

    @TempDir
    Path work;

    private final Process[] processes = new Process[NODES];
    private int[] clientPorts;
    private String peers;

    @AfterEach
    void stopAll() throws InterruptedException {
        for (Process process : processes) {
            if (process != null && process.isAlive()) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void killingTheLeaderLosesNoAcknowledgedWriteAndAnotherNodeTakesWritesWithinSeconds() throws Exception {
        int kills = Integer.getInteger("kvs.raft.kills", 3);
        startGroup();
        Map<String, String> acknowledged = new ConcurrentHashMap<>();
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong lastAckNanos = new AtomicLong();
        AtomicLong killedAt = new AtomicLong(Long.MAX_VALUE);
        AtomicLong firstAckAfterKill = new AtomicLong();
        List<Thread> writers = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            int writer = w;
            Thread thread = new Thread(() -> write(writer, running, acknowledged, lastAckNanos, killedAt, firstAckAfterKill),
                    "writer-" + w);
            thread.start();
            writers.add(thread);
        }
        List<Long> failoverMillis = new ArrayList<>();
        try {
            awaitAcknowledgedAfter(lastAckNanos, System.nanoTime(), 60);
            for (int kill = 0; kill < kills; kill++) {
                // Each kill hits a whole group: the node restarted last has caught up.
                awaitCaughtUp();
                int leader = awaitLeader();
                Thread.sleep(200 + ThreadLocalRandom.current().nextInt(300));
                firstAckAfterKill.set(0);
                long killed = System.nanoTime();
                killedAt.set(killed);
                processes[leader].destroyForcibly();
                assertTrue(processes[leader].waitFor(10, TimeUnit.SECONDS));
                long firstAck = awaitFirst(firstAckAfterKill, 30);
                failoverMillis.add(TimeUnit.NANOSECONDS.toMillis(firstAck - killed));
                killedAt.set(Long.MAX_VALUE);
                start(leader);
            }
            // A follower killed and restarted under the same writes.
            awaitCaughtUp();
            int follower = (awaitLeader() + 1) % NODES;
            processes[follower].destroyForcibly();
            assertTrue(processes[follower].waitFor(10, TimeUnit.SECONDS));
            awaitAcknowledgedAfter(lastAckNanos, System.nanoTime(), 30);
            start(follower);
            Thread.sleep(500);
        } finally {
            running.set(false);
            for (Thread thread : writers) {
                thread.join(TimeUnit.SECONDS.toMillis(60));
            }
        }
        awaitCaughtUp();
        checkClientFailsOverAndPrintsStatus(acknowledged);
        for (int i = 0; i < NODES; i++) {
            processes[i].destroy();
            assertTrue(processes[i].waitFor(30, TimeUnit.SECONDS), "n" + (i + 1) + " did not stop on SIGTERM");
        }
        assertTrue(acknowledged.size() > 0, "no write was acknowledged");
        for (int i = 0; i < NODES; i++) {
            Path data = work.resolve("n" + (i + 1));
            try (KvsEngine engine = EngineKind.KVS.open(data, KvStoreOptions.defaults())) {
                List<String> missing = new ArrayList<>();
                for (Map.Entry<String, String> write : acknowledged.entrySet()) {
                    Optional<String> value = engine.get(write.getKey());
                    if (value.isEmpty() || !value.get().equals(write.getValue())) {
                        missing.add(write.getKey() + "=" + write.getValue() + " (found " + value.orElse("nothing") + ")");
                    }
                }
                assertEquals(List.of(), missing.subList(0, Math.min(10, missing.size())),
                        missing.size() + " of " + acknowledged.size() + " acknowledged writes missing on n" + (i + 1));
            }
        }
        List<Long> sorted = new ArrayList<>(failoverMillis);
        Collections.sort(sorted);
        String report = String.format("failover over %d leader kills: median %d ms, max %d ms (%s); %d acknowledged writes, all on all %d nodes%n",
                kills, sorted.get(sorted.size() / 2), sorted.get(sorted.size() - 1), failoverMillis, acknowledged.size(), NODES);
        System.out.print(report);
        Path target = ROOT.resolve("kvs-cli/target");
        if (Files.isDirectory(target)) {
            Files.writeString(target.resolve("raft-failover.txt"), report, StandardCharsets.UTF_8);
        }
    }

    /**
     * Six clients doing SET, GET and INCR on three keys through random nodes while the leader is
     * killed twice: the history each client saw is checked for linearizability ({@link Linearizability}).
     */
    @Test
    void concurrentSetGetAndIncrOnAFewKeysStayLinearizableWhileLeadersAreKilled() throws Exception {
        startGroup();
        awaitLeader();
        List<Linearizability.Operation> history = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean running = new AtomicBoolean(true);
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < 6; c++) {
            int client = c;
            Thread thread = new Thread(() -> operate(client, running, history), "client-" + c);
            thread.start();
            clients.add(thread);
        }
        try {
            for (int kill = 0; kill < 2; kill++) {
                Thread.sleep(2_000);
                awaitCaughtUp();
                int leader = awaitLeader();
                processes[leader].destroyForcibly();
                assertTrue(processes[leader].waitFor(10, TimeUnit.SECONDS));
                Thread.sleep(2_000);
                start(leader);
            }
            Thread.sleep(2_000);
        } finally {
            running.set(false);
            for (Thread thread : clients) {
                thread.join(TimeUnit.SECONDS.toMillis(60));
            }
        }
        List<Linearizability.Verdict> verdicts = Linearizability.check(history);
        assertEquals(3, verdicts.size(), verdicts.toString());
        for (Linearizability.Verdict verdict : verdicts) {
            assertTrue(verdict.linearizable(), "not linearizable: " + verdict);
        }
        long unknown = history.stream().filter(operation -> !operation.known()).count();
        System.out.printf("linearizable: %d operations on 3 keys (%d of unknown outcome) through 2 leader kills%n",
                history.size(), unknown);
    }

    /** Starts the three nodes on free ports. */
    private void startGroup() throws IOException, InterruptedException {
        // One probe for all ports: ports from separate probes may coincide.
        int[] ports = LoopbackPorts.free(2 * NODES);
        int[] raftPorts = java.util.Arrays.copyOfRange(ports, 0, NODES);
        clientPorts = java.util.Arrays.copyOfRange(ports, NODES, 2 * NODES);
        StringBuilder list = new StringBuilder();
        for (int i = 0; i < NODES; i++) {
            list.append(i == 0 ? "" : ",").append("n").append(i + 1).append("@127.0.0.1:").append(raftPorts[i]);
        }
        peers = list.toString();
        for (int i = 0; i < NODES; i++) {
            start(i);
        }
    }

    /** One client's operations, each recorded with the times it was sent and answered. */
    private void operate(int client, AtomicBoolean running, List<Linearizability.Operation> history) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        Jedis jedis = null;
        long next = client * 1_000_000L;
        while (running.get()) {
            String key = "k" + random.nextInt(3);
            Linearizability.Kind kind = Linearizability.Kind.values()[random.nextInt(3)];
            long written = next++;
            long invoked = System.nanoTime();
            try {
                if (jedis == null) {
                    jedis = new Jedis(new HostAndPort("127.0.0.1", clientPorts[random.nextInt(NODES)]),
                            DefaultJedisClientConfig.builder().timeoutMillis(15_000).connectionTimeoutMillis(1_000).build());
                }
                Long value = switch (kind) {
                    case SET -> {
                        jedis.set(key, Long.toString(written));
                        yield written;
                    }
                    case GET -> {
                        String text = jedis.get(key);
                        yield text == null ? null : Long.valueOf(text);
                    }
                    case INCR -> jedis.incr(key);
                };
                history.add(new Linearizability.Operation(key, kind, value, invoked, System.nanoTime()));
            } catch (JedisException e) {
                if (kind != Linearizability.Kind.GET) {
                    // It may have been applied, or not: no return.
                    history.add(new Linearizability.Operation(key, kind, kind == Linearizability.Kind.SET ? written : null,
                            invoked, Long.MAX_VALUE));
                }
                if (jedis != null) {
                    jedis.close();
                }
                jedis = null;
                sleep(20);
            }
        }
        if (jedis != null) {
            jedis.close();
        }
    }

    /**
     * Sets its own keys through a random node; a key is acknowledged once a node answered OK. The
     * first write sent after {@code killedAt} that is acknowledged sets {@code firstAckAfterKill}.
     */
    private void write(int writer, AtomicBoolean running, Map<String, String> acknowledged, AtomicLong lastAckNanos,
                       AtomicLong killedAt, AtomicLong firstAckAfterKill) {
        long sequence = 0;
        Jedis jedis = null;
        while (running.get()) {
            try {
                if (jedis == null) {
                    int node = ThreadLocalRandom.current().nextInt(NODES);
                    jedis = new Jedis(new HostAndPort("127.0.0.1", clientPorts[node]),
                            DefaultJedisClientConfig.builder().timeoutMillis(15_000).connectionTimeoutMillis(1_000).build());
                }
                String key = "w" + writer + ":" + sequence;
                String value = "v" + sequence;
                long sent = System.nanoTime();
                if ("OK".equals(jedis.set(key, value))) {
                    long now = System.nanoTime();
                    acknowledged.put(key, value);
                    lastAckNanos.accumulateAndGet(now, Math::max);
                    if (sent > killedAt.get()) {
                        firstAckAfterKill.compareAndSet(0, now);
                    }
                }
                sequence++;
            } catch (JedisException e) {
                if (jedis != null) {
                    jedis.close();
                }
                jedis = null;
                sequence++;
                sleep(20);
            }
        }
        if (jedis != null) {
            jedis.close();
        }
    }

    /** kvs-client with every node in --addr (a dead one first) reads an acknowledged write; status names the leader. */
    private void checkClientFailsOverAndPrintsStatus(Map<String, String> acknowledged) throws IOException, InterruptedException {
        Map.Entry<String, String> write = acknowledged.entrySet().iterator().next();
        StringBuilder addresses = new StringBuilder("127.0.0.1:" + LoopbackPorts.free(1)[0]);
        for (int port : clientPorts) {
            addresses.append(",127.0.0.1:").append(port);
        }
        assertEquals(write.getValue() + "\n", client("get", write.getKey(), "--addr", addresses.toString()));
        String status = client("status", "--addr", "127.0.0.1:" + clientPorts[0]);
        assertTrue(status.contains("raft_node_id:n1\n") && status.contains("raft_leader_id:n"), status);
    }

    private String client(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(ROOT.resolve("bin/kvs-client").toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), output);
        return output;
    }

    private void start(int i) throws IOException, InterruptedException {
        Path data = work.resolve("n" + (i + 1));
        Files.createDirectories(data);
        Path log = work.resolve("n" + (i + 1) + ".log");
        ProcessBuilder builder = new ProcessBuilder(SERVER.toString(), "--addr", "127.0.0.1:" + clientPorts[i],
                "--node-id", "n" + (i + 1), "--raft-peers", peers, "--data-dir", data.toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
        processes[i] = builder.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_TIMEOUT_SECONDS);
        while (System.nanoTime() < deadline) {
            if (!processes[i].isAlive()) {
                fail("n" + (i + 1) + " exited with " + processes[i].exitValue() + ":\n" + Files.readString(log));
            }
            if (Files.readString(log).lines().filter(line -> line.contains("listening on")).count() > restarts(i)) {
                starts[i]++;
                return;
            }
            Thread.sleep(20);
        }
        fail("n" + (i + 1) + " did not start:\n" + Files.readString(log));
    }

    private final int[] starts = new int[NODES];

    private int restarts(int i) {
        return starts[i];
    }

    /** The index of the node that leads, by INFO raft, waiting up to 30 s. */
    private int awaitLeader() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            for (int i = 0; i < NODES; i++) {
                if ("leader".equals(raftField(i, "raft_role"))) {
                    return i;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no leader within 30 s");
    }

    /** Waits until every node has applied what the leader has committed. */
    private void awaitCaughtUp() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            int leader = awaitLeader();
            String commit = raftField(leader, "raft_commit_index");
            boolean all = commit != null;
            for (int i = 0; i < NODES && all; i++) {
                String applied = raftField(i, "raft_applied_index");
                all = applied != null && Long.parseLong(applied) >= Long.parseLong(commit);
            }
            if (all) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the nodes did not catch up within 60 s\n" + groupState());
    }

    /** Each node's Raft fields and the end of its log: what a failure needs to be understood. */
    private String groupState() {
        StringBuilder state = new StringBuilder();
        for (int i = 0; i < NODES; i++) {
            state.append("n").append(i + 1).append(": role ").append(raftField(i, "raft_role"))
                    .append(", term ").append(raftField(i, "raft_term"))
                    .append(", commit ").append(raftField(i, "raft_commit_index"))
                    .append(", applied ").append(raftField(i, "raft_applied_index")).append('\n');
            try {
                List<String> lines = Files.readAllLines(work.resolve("n" + (i + 1) + ".log"));
                lines.subList(Math.max(0, lines.size() - 40), lines.size()).forEach(line -> state.append("  ").append(line).append('\n'));
            } catch (IOException e) {
                state.append("  (no log: ").append(e.getMessage()).append(")\n");
            }
        }
        return state.toString();
    }

    private String raftField(int i, String field) {
        try (Jedis jedis = new Jedis(new HostAndPort("127.0.0.1", clientPorts[i]),
                DefaultJedisClientConfig.builder().timeoutMillis(2_000).connectionTimeoutMillis(500).build())) {
            for (String line : jedis.info("raft").split("\r\n")) {
                if (line.startsWith(field + ":")) {
                    return line.substring(field.length() + 1);
                }
            }
        } catch (JedisException e) {
            return null;
        }
        return null;
    }

    /** Waits up to {@code seconds} for an acknowledgement after {@code sinceNanos}; returns when it came. */
    private static long awaitAcknowledgedAfter(AtomicLong lastAckNanos, long sinceNanos, long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            long last = lastAckNanos.get();
            if (last > sinceNanos) {
                return last;
            }
            Thread.sleep(5);
        }
        throw new AssertionError("no write acknowledged within " + seconds + " s");
    }

    /** Waits up to {@code seconds} for {@code value} to be set; returns it. */
    private static long awaitFirst(AtomicLong value, long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            long set = value.get();
            if (set != 0) {
                return set;
            }
            Thread.sleep(5);
        }
        throw new AssertionError("no write sent after the kill was acknowledged within " + seconds + " s");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
