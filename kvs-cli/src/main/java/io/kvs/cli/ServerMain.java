package io.kvs.cli;

import com.beust.jcommander.JCommander;
import com.beust.jcommander.Parameter;
import io.kvs.core.DataDirectory;
import io.kvs.core.EngineKind;
import io.kvs.core.KvStoreOptions;
import io.kvs.core.KvsEngine;
import io.kvs.core.KvsException;
import io.kvs.core.SyncPolicy;
import io.kvs.core.log.KvStore;
import io.kvs.core.log.RepairReport;
import io.kvs.net.KvsServer;
import io.kvs.net.KvsVersion;
import io.kvs.net.ServerOptions;
import io.kvs.net.command.Credentials;
import io.kvs.net.protocol.FrameDescriptor;
import io.kvs.raft.CommonPoolParallelism;
import io.kvs.raft.RaftMembership;
import io.kvs.raft.RaftNode;
import io.kvs.raft.RaftPeers;
import org.apache.ratis.protocol.RaftPeer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code kvs-server [--addr IP:PORT] [--engine kvs|xodus] ...}: serves a data directory.
 *
 * <p>The engine is remembered in the data directory: without {@code --engine} the server uses
 * the engine that wrote the data (or {@code kvs} on a first run); asking for another engine than
 * the data's is an error. SIGTERM and SIGINT stop it gracefully: no new connections, requests
 * already read are answered, the engine is closed (flushing everything), exit code 0.
 */
public final class ServerMain {

    static final String PROGRAM = "kvs-server";

    private static final Logger LOG = LoggerFactory.getLogger(ServerMain.class);

    /**
     * The server's compaction threshold: 64 MiB of stale records, Redis's
     * {@code auto-aof-rewrite-min-size}. A server owns its machine's disk, and each compaction
     * costs the event loop's CPU a fixed share (files created, mapped, synced and deleted), so it
     * compacts 8 times less often than an embedded store (8 MiB).
     */
    static final long COMPACTION_THRESHOLD_DEFAULT = 64L * 1024 * 1024;
    /** The largest threshold accepted: 1 TiB. */
    static final long COMPACTION_THRESHOLD_MAX = 1L << 40;

    /** The options; numbers and the address are kept as typed and checked by {@link #serverOptions}. */
    static final class Options {
        @Parameter(names = "--addr")
        String address = Addresses.DEFAULT;

        @Parameter(names = "--engine")
        String engine;

        @Parameter(names = "--data-dir")
        String dataDir = ".";

        /** Null: the {@code kvs.sync} property, else every-second. */
        @Parameter(names = "--sync")
        String sync;

        /** Null: the {@code kvs.compaction.threshold.bytes} property, else {@link #COMPACTION_THRESHOLD_DEFAULT}. */
        @Parameter(names = "--compaction-threshold")
        String compactionThreshold;

        @Parameter(names = "--max-connections")
        String maxConnections = Integer.toString(ServerOptions.MAX_CONNECTIONS_DEFAULT);

        @Parameter(names = "--max-frame-bytes")
        String maxFrameBytes = Integer.toString(FrameDescriptor.MAX_FRAME_BYTES_DEFAULT);

        @Parameter(names = "--idle-timeout")
        String idleTimeout = Long.toString(ServerOptions.IDLE_TIMEOUT_DEFAULT.toSeconds());

        @Parameter(names = "--frame-timeout")
        String frameTimeout = Long.toString(ServerOptions.FRAME_TIMEOUT_DEFAULT.toSeconds());

        @Parameter(names = "--event-loops")
        String eventLoops = Integer.toString(ServerOptions.EVENT_LOOPS_DEFAULT);

        @Parameter(names = "--busy-poll")
        String busyPoll = Long.toString(ServerOptions.BUSY_POLL_DEFAULT.toNanos() / 1000);

        @Parameter(names = "--partial-frame-budget-bytes")
        String partialFrameBudgetBytes = Long.toString(ServerOptions.defaults().partialFrameBudgetBytes());

        @Parameter(names = "--password-file")
        String passwordFile;

        /** With --raft-peers: this node's id among them. */
        @Parameter(names = "--node-id")
        String nodeId;

        /** Null: a single server. */
        @Parameter(names = "--raft-peers")
        String raftPeers;

        @Parameter(names = "--raft-join")
        boolean raftJoin;

        /** An admin action on the group --raft-peers names: add this peer, print the members, exit. */
        @Parameter(names = "--raft-add")
        String raftAdd;

        /** An admin action on the group --raft-peers names: remove this member, print the members, exit. */
        @Parameter(names = "--raft-remove")
        String raftRemove;

        @Parameter(names = "--raft-election-timeout")
        String raftElectionTimeout = Double.toString(RaftNode.Config.ELECTION_TIMEOUT_DEFAULT.toMillis() / 1000.0);

        @Parameter(names = "--raft-request-timeout")
        String raftRequestTimeout = Long.toString(RaftNode.Config.REQUEST_TIMEOUT_DEFAULT.toSeconds());

        @Parameter(names = "--protected-mode")
        String protectedMode = "yes";

        @Parameter(names = "--repair")
        boolean repair;

        @Parameter(names = {"-V", "--version"})
        boolean version;

        @Parameter(names = {"-h", "--help"}, help = true)
        boolean help;

        @Parameter(names = "--debug")
        boolean debug;
    }

    private ServerMain() {
    }

    public static void main(String[] args) {
        // Before anything touches the common pool (a replicated node's Ratis relies on it).
        CommonPoolParallelism.ensure();
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        Options options = new Options();
        boolean debug = CommandLine.hasFlag(args, "--debug");
        // Handlers go in first, so a signal that arrives while the engine opens still ends in
        // a graceful stop once it is open.
        AtomicReference<Running> current = new AtomicReference<>();
        AtomicReference<String> pendingSignal = new AtomicReference<>();
        ShutdownSignals.install(signal -> {
            Running running = current.get();
            if (running != null) {
                running.stop(signal);
            } else {
                pendingSignal.set(signal);
            }
        });
        try {
            Running running = start(args, options, out);
            if (running == null) {
                System.exit(0);
                return;
            }
            current.set(running);
            if (pendingSignal.get() != null) {
                running.stop(pendingSignal.get());
            }
            running.server().awaitTermination();
            Optional<Throwable> failure = running.server().failure();
            if (failure.isPresent()) {
                // The server has logged the cause in one line and closed itself; the engine goes too.
                ClientMain.printTrace(debug, err, failure.get());
                running.stop("server failure");
                running.awaitStopped();
                System.exit(CliFailure.FAILURE);
            }
            running.awaitStopped();
            System.exit(0);
        } catch (CliFailure e) {
            err.println(PROGRAM + ": " + e.getMessage());
            if (e.exitCode() == CliFailure.USAGE) {
                err.println("Run '" + PROGRAM + " --help' for usage.");
            }
            ClientMain.printTrace(debug, err, e);
            System.exit(e.exitCode());
        } catch (KvsException e) {
            err.println(PROGRAM + ": " + e.getMessage());
            ClientMain.printTrace(debug, err, e);
            System.exit(CliFailure.FAILURE);
        } catch (RuntimeException e) {
            err.println(PROGRAM + ": unexpected failure: " + e);
            ClientMain.printTrace(debug, err, e);
            System.exit(CliFailure.FAILURE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            System.exit(CliFailure.FAILURE);
        }
    }

    /**
     * Parses {@code args} into {@code options}, and unless they ask only for the version or help
     * (printed to {@code out}; returns null), reserves the address, opens the engine and starts
     * serving. Connections are accepted only once the engine is open: until then they are
     * refused, and a taken port fails before the data directory is touched.
     */
    static Running start(String[] args, Options options, PrintStream out) {
        CommandLine.requireUtf8(args);
        JCommander commander = JCommander.newBuilder().programName(PROGRAM).addObject(options).expandAtSign(false).build();
        List<String> positional = CommandLine.parse(commander, args, "");
        if (options.version) {
            out.println(PROGRAM + " " + KvsVersion.current());
            return null;
        }
        if (options.help) {
            out.print(usage());
            return null;
        }
        if (!positional.isEmpty()) {
            throw CliFailure.usage("unexpected argument '" + positional.get(0) + "': " + PROGRAM + " takes options only");
        }
        if (options.engine != null && EngineKind.named(options.engine).isEmpty()) {
            throw CliFailure.usage("invalid engine '" + options.engine + "': valid engines are "
                    + String.join(", ", EngineKind.names()));
        }
        if (options.repair) {
            repair(options, out);
            return null;
        }
        if (options.raftAdd != null || options.raftRemove != null) {
            changeMembers(options, out);
            return null;
        }
        InetSocketAddress address;
        KvStoreOptions storeOptions;
        try {
            address = Addresses.parse(options.address, true);
            storeOptions = KvStoreOptions.fromSystemProperties();
            if (options.compactionThreshold != null) {
                storeOptions = storeOptions.withCompactionThresholdBytes(NumericOptions.bytes("--compaction-threshold",
                        options.compactionThreshold, 0, COMPACTION_THRESHOLD_MAX));
            } else if (System.getProperty(KvStoreOptions.COMPACTION_THRESHOLD_BYTES_PROP_NAME) == null) {
                storeOptions = storeOptions.withCompactionThresholdBytes(COMPACTION_THRESHOLD_DEFAULT);
            }
            if (options.sync != null) {
                storeOptions = storeOptions.withSyncPolicy(SyncPolicy.parse(options.sync));
            }
        } catch (IllegalArgumentException e) {
            throw CliFailure.usage(e.getMessage());
        }
        SyncPolicy sync = storeOptions.syncPolicy();
        Credentials credentials = options.passwordFile == null ? null
                : Credentials.of(PasswordFile.read(Path.of(options.passwordFile)).getBytes(StandardCharsets.UTF_8));
        checkProtectedMode(options, address, credentials);
        ServerOptions serverOptions = serverOptions(options).withCredentials(credentials);
        Path dataDir = Path.of(options.dataDir).toAbsolutePath().normalize();
        Optional<String> existing = DataDirectory.engineOf(dataDir);
        String engineName = options.engine != null ? options.engine : existing.orElse(EngineKind.KVS.engineName());
        if (existing.isPresent() && !existing.get().equals(engineName)) {
            throw new CliFailure("data directory " + dataDir + " holds data of engine '" + existing.get()
                    + "', not '" + engineName + "'; start with --engine " + existing.get()
                    + " or choose another --data-dir", CliFailure.FAILURE);
        }
        RaftNode.Config raft = raftConfig(options, dataDir, EngineKind.named(engineName).orElseThrow(), storeOptions);
        KvsServer server = KvsServer.bind(address, serverOptions);
        KvsEngine engine;
        RaftNode node = null;
        try {
            if (raft != null) {
                node = RaftNode.start(raft);
                engine = node.engine();
            } else {
                engine = EngineKind.named(engineName).orElseThrow().open(dataDir, storeOptions);
            }
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        AutoCloseable backend = node != null ? node : engine;
        try {
            server.serve(engine, node == null ? null : node.replication());
        } catch (RuntimeException e) {
            server.close();
            closeQuietly(backend);
            throw e;
        }
        LOG.info("{} {} listening on {} (engine {}, data {}, sync {}{})", PROGRAM, KvsVersion.current(),
                Addresses.display(options.address, server.address().getPort()), engineName, dataDir,
                sync.optionName(), raft == null ? "" : ", Raft node " + raft.nodeId() + " of " + options.raftPeers);
        return new Running(server, backend);
    }

    /** The Raft node's settings if --raft-peers is given (null for a single server), checked. */
    static RaftNode.Config raftConfig(Options options, Path dataDir, EngineKind engine, KvStoreOptions storeOptions) {
        Duration election = NumericOptions.seconds("--raft-election-timeout", options.raftElectionTimeout,
                Duration.ofMillis(50), Duration.ofMinutes(1));
        Duration request = NumericOptions.seconds("--raft-request-timeout", options.raftRequestTimeout,
                Duration.ofMillis(100), Duration.ofHours(1));
        if (options.raftPeers == null) {
            if (options.raftJoin) {
                throw CliFailure.usage("--raft-join needs --node-id and --raft-peers");
            }
            if (options.nodeId != null) {
                throw CliFailure.usage("--node-id needs --raft-peers (the group it belongs to)");
            }
            return null;
        }
        if (options.nodeId == null) {
            throw CliFailure.usage("--raft-peers needs --node-id (which of the peers this server is)");
        }
        try {
            return RaftNode.Config.of(options.nodeId, RaftPeers.parse(options.raftPeers), dataDir, engine, storeOptions)
                    .withTimeouts(election, request).joining(options.raftJoin);
        } catch (IllegalArgumentException e) {
            throw CliFailure.usage(e.getMessage());
        }
    }

    /** {@code --raft-add} or {@code --raft-remove}: changes the members of the running group, prints them. */
    private static void changeMembers(Options options, PrintStream out) {
        if (options.raftPeers == null) {
            throw CliFailure.usage((options.raftAdd != null ? "--raft-add" : "--raft-remove")
                    + " needs --raft-peers (members of the running group to ask)");
        }
        if (options.raftAdd != null && options.raftRemove != null) {
            throw CliFailure.usage("--raft-add and --raft-remove go one at a time");
        }
        List<RaftPeer> known;
        RaftPeer added = null;
        Duration timeout;
        try {
            known = RaftPeers.parse(options.raftPeers);
            if (options.raftAdd != null) {
                List<RaftPeer> one = RaftPeers.parse(options.raftAdd);
                if (one.size() != 1) {
                    throw new IllegalArgumentException("--raft-add takes one ID@HOST:PORT, got " + one.size());
                }
                added = one.get(0);
            }
            timeout = NumericOptions.seconds("--raft-request-timeout", options.raftRequestTimeout,
                    Duration.ofMillis(100), Duration.ofHours(1));
        } catch (IllegalArgumentException e) {
            throw CliFailure.usage(e.getMessage());
        }
        // Catching up a new node may take a while: the change waits for it (ten times the request timeout).
        List<RaftPeer> members = added != null ? RaftMembership.add(known, added, timeout.multipliedBy(10))
                : RaftMembership.remove(known, options.raftRemove, timeout.multipliedBy(10));
        out.println(PROGRAM + ": the group is now " + RaftPeers.format(members));
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            LOG.error("closing failed: {}", e.getMessage(), e);
        }
    }

    /**
     * Protected mode, as Redis has it: a server reachable from other machines (any address but
     * loopback) must have a password, unless {@code --protected-mode no} says otherwise.
     */
    static void checkProtectedMode(Options options, InetSocketAddress address, Credentials credentials) {
        boolean on;
        switch (options.protectedMode) {
            case "yes" -> on = true;
            case "no" -> on = false;
            default -> throw CliFailure.usage("invalid --protected-mode '" + options.protectedMode + "': use yes or no");
        }
        if (on && credentials == null && !address.getAddress().isLoopbackAddress()) {
            throw CliFailure.usage("refusing to listen on " + options.address + " without a password: give --password-file PATH, "
                    + "or --protected-mode no to serve other machines without one");
        }
    }

    /**
     * {@code --repair}: salvages the kvs data in {@code --data-dir} with {@link KvStore#repair},
     * printing its progress and then what it kept and dropped. The server must be stopped.
     */
    private static void repair(Options options, PrintStream out) {
        Path dataDir = Path.of(options.dataDir).toAbsolutePath().normalize();
        Optional<String> engine = DataDirectory.engineOf(dataDir);
        if (engine.isPresent() && !engine.get().equals(EngineKind.KVS.engineName())) {
            throw new CliFailure("--repair is for the kvs engine; " + dataDir + " holds data of engine '"
                    + engine.get() + "'", CliFailure.FAILURE);
        }
        RepairReport report = KvStore.repair(dataDir, line -> out.println(PROGRAM + ": " + line));
        out.println(PROGRAM + ": repaired " + dataDir + ": " + report.recordsKept() + " records kept, "
                + report.keys() + " keys");
        for (Path missing : report.missingSegments()) {
            out.println(PROGRAM + ": missing segment " + missing.getFileName() + ": its records are lost");
        }
        for (RepairReport.Damage damage : report.damage()) {
            out.println(PROGRAM + ": dropped " + damage);
        }
        if (report.clean()) {
            out.println(PROGRAM + ": nothing was damaged or missing");
        }
        out.println(PROGRAM + ": the original files are in " + report.backup() + " (delete it once satisfied)");
    }

    /** The server's limits from the options, each checked against its range. */
    static ServerOptions serverOptions(Options options) {
        return ServerOptions.defaults()
                .withMaxConnections(NumericOptions.count("--max-connections", options.maxConnections,
                        1, ServerOptions.MAX_CONNECTIONS_MAX))
                .withMaxFrameBytes((int) NumericOptions.bytes("--max-frame-bytes", options.maxFrameBytes,
                        FrameDescriptor.MAX_FRAME_BYTES_MIN, ServerOptions.MAX_FRAME_BYTES_MAX))
                .withIdleTimeout(NumericOptions.seconds("--idle-timeout", options.idleTimeout,
                        ServerOptions.TIMEOUT_MIN, ServerOptions.TIMEOUT_MAX))
                .withFrameTimeout(NumericOptions.seconds("--frame-timeout", options.frameTimeout,
                        ServerOptions.TIMEOUT_MIN, ServerOptions.TIMEOUT_MAX))
                .withEventLoops(NumericOptions.count("--event-loops", options.eventLoops, 1, ServerOptions.EVENT_LOOPS_MAX))
                .withBusyPoll(Duration.ofNanos(1000L * NumericOptions.count("--busy-poll", options.busyPoll, 0,
                        (int) (ServerOptions.BUSY_POLL_MAX.toNanos() / 1000))))
                // A budget beyond the heap could not keep partial frames from exhausting it.
                .withPartialFrameBudgetBytes(NumericOptions.bytes("--partial-frame-budget-bytes",
                        options.partialFrameBudgetBytes, ServerOptions.PARTIAL_FRAME_BUDGET_BYTES_MIN,
                        Runtime.getRuntime().maxMemory()));
    }

    private static String usage() {
        long maxTimeoutSeconds = ServerOptions.TIMEOUT_MAX.toSeconds();
        StringBuilder text = new StringBuilder();
        text.append("Usage: ").append(PROGRAM).append(" [options]\n\n")
                .append("Options:\n")
                .append("  --addr IP:PORT|HOST:PORT   Address to listen on (default ").append(Addresses.DEFAULT)
                .append("; IPv6 as [::1]:4000; port 0 picks a free port;\n")
                .append("                             0.0.0.0 is every IPv4 interface, [::] every interface)\n")
                .append("  --engine kvs|xodus         Storage engine (default: the engine of existing data, else kvs)\n")
                .append("  --data-dir DIR             Directory holding the data (default: the current directory)\n")
                .append("  --sync never|every-second|always\n")
                .append("                             When writes reach the disk (default: the kvs.sync property, else\n")
                .append("                             every-second)\n")
                .append("  --compaction-threshold BYTES\n")
                .append("                             Stale bytes (overwritten or removed records) that start a compaction,\n")
                .append("                             once they are also half the log; 0 to ").append(COMPACTION_THRESHOLD_MAX)
                .append(" (default: the\n")
                .append("                             kvs.compaction.threshold.bytes property, else 64m, as Redis's\n")
                .append("                             auto-aof-rewrite-min-size)\n")
                .append("  --max-connections N        Connections served at once, 1 to ").append(ServerOptions.MAX_CONNECTIONS_MAX)
                .append("; more are refused (default ").append(ServerOptions.MAX_CONNECTIONS_DEFAULT).append(")\n")
                .append("  --max-frame-bytes BYTES    Largest request frame accepted, ").append(FrameDescriptor.MAX_FRAME_BYTES_MIN)
                .append(" to ").append(ServerOptions.MAX_FRAME_BYTES_MAX).append(" (default ")
                .append(FrameDescriptor.MAX_FRAME_BYTES_DEFAULT).append(", the largest SET)\n")
                .append("  --idle-timeout SECS        Silent connections are closed after this, up to ").append(maxTimeoutSeconds)
                .append(" (default ").append(ServerOptions.IDLE_TIMEOUT_DEFAULT.toSeconds()).append(")\n")
                .append("  --frame-timeout SECS       A request must arrive whole within this of its first byte, up to ")
                .append(maxTimeoutSeconds).append(" (default ").append(ServerOptions.FRAME_TIMEOUT_DEFAULT.toSeconds()).append(")\n")
                .append("  --event-loops N            Threads serving connections, 1 to ").append(ServerOptions.EVENT_LOOPS_MAX)
                .append(" (default: half the cores, at least 1; here ").append(ServerOptions.EVENT_LOOPS_DEFAULT).append(")\n")
                .append("  --busy-poll MICROS         After serving requests, a loop polls for more this long before it\n")
                .append("                             sleeps: more requests a second, more CPU; 0 (off) to ")
                .append(ServerOptions.BUSY_POLL_MAX.toNanos() / 1000).append(" (default ")
                .append(ServerOptions.BUSY_POLL_DEFAULT.toNanos() / 1000).append(")\n")
                .append("  --partial-frame-budget-bytes BYTES\n")
                .append("                             Memory all connections together may hold in requests still arriving;\n")
                .append("                             a connection beyond it is refused with an error (default: a quarter of\n")
                .append("                             the maximum heap, here ").append(ServerOptions.defaults().partialFrameBudgetBytes())
                .append("; at most the maximum heap)\n")
                .append("  --password-file PATH       Require clients to authenticate with the password in PATH (RESP AUTH,\n")
                .append("                             the kvs protocol's AUTH request); one trailing newline is ignored\n")
                .append("  --node-id ID --raft-peers ID@HOST:PORT,...\n")
                .append("                             Run as one node of a replicated group (docs/REPLICATION.md): every\n")
                .append("                             peer with the port it speaks Raft on; this node is ID among them\n")
                .append("  --raft-join                A new, empty node: start outside the group and wait to be added\n")
                .append("  --raft-add ID@HOST:PORT    With --raft-peers (members to ask): add that node (started with\n")
                .append("                             --raft-join) to the running group, print the members, exit\n")
                .append("  --raft-remove ID           With --raft-peers: remove that member (it shuts itself down), exit\n")
                .append("  --raft-election-timeout SECS\n")
                .append("                             Shortest election timeout, 0.05 to 60 (default ")
                .append(RaftNode.Config.ELECTION_TIMEOUT_DEFAULT.toMillis() / 1000.0).append("; the longest is twice it)\n")
                .append("  --raft-request-timeout SECS\n")
                .append("                             How long a request waits for a majority before TRYAGAIN (default ")
                .append(RaftNode.Config.REQUEST_TIMEOUT_DEFAULT.toSeconds()).append(")\n")
                .append("  --protected-mode yes|no    With yes (the default), refuse to listen on an address other machines\n")
                .append("                             can reach (not loopback) without --password-file\n")
                .append("  --repair                   Salvage the kvs data in --data-dir after corruption (server stopped):\n")
                .append("                             keeps every record that verifies, reports what it drops, moves the\n")
                .append("                             original files to a backup directory there, then exits\n")
                .append("  -V, --version              Print the version\n")
                .append("  -h, --help                 Print this help\n")
                .append("  --debug                    Print the stack trace of a failure\n\n")
                .append("Options may also be written --name=value. Seconds may have a fraction (0.5); a byte count may end\n")
                .append("in k, m or g (KiB, MiB, GiB). The JVM's options come from KVS_SERVER_JAVA_OPTS (for example -Xmx1g).\n");
        return text.toString();
    }

    /** A started server and its engine, stopped together. */
    static final class Running {
        private final KvsServer server;
        /** The engine, or the Raft node that owns it. */
        private final AutoCloseable backend;
        private final java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);
        private boolean stopping;

        Running(KvsServer server, AutoCloseable backend) {
            this.server = server;
            this.backend = backend;
        }

        KvsServer server() {
            return server;
        }

        /** Stops accepting, answers what was read, closes the engine. Idempotent. */
        void stop(String reason) {
            synchronized (this) {
                if (stopping) {
                    return;
                }
                stopping = true;
            }
            LOG.info("{}: shutting down", reason);
            try {
                server.close();
            } finally {
                try {
                    backend.close();
                } catch (Exception e) {
                    LOG.error("closing the engine failed: {}", e.getMessage(), e);
                }
                LOG.info("stopped");
                stopped.countDown();
            }
        }

        void awaitStopped() throws InterruptedException {
            stopped.await();
        }
    }
}
