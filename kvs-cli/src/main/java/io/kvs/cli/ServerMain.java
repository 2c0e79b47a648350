package io.kvs.cli;

import com.beust.jcommander.JCommander;
import com.beust.jcommander.Parameter;
import com.beust.jcommander.ParameterException;
import io.kvs.core.DataDirectory;
import io.kvs.core.KvStoreOptions;
import io.kvs.core.KvsEngine;
import io.kvs.core.KvsException;
import io.kvs.core.SyncPolicy;
import io.kvs.core.log.KvStore;
import io.kvs.core.xodus.XodusKvsEngine;
import io.kvs.net.KvsServer;
import io.kvs.net.ServerOptions;
import io.kvs.net.protocol.FrameDescriptor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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
    static final List<String> ENGINES = List.of(KvStore.ENGINE_NAME, XodusKvsEngine.ENGINE_NAME);

    private static final Logger LOG = LoggerFactory.getLogger(ServerMain.class);

    static final class Options {
        @Parameter(names = "--addr", converter = Addresses.ServerConverter.class,
                description = "Address to listen on, IP:PORT (IPv6 as [::1]:4000; port 0 picks a free one)")
        InetSocketAddress address = Addresses.parse(Addresses.DEFAULT, true);

        @Parameter(names = "--engine", description = "Storage engine: kvs or xodus (default: the engine of existing data, else kvs)")
        String engine;

        @Parameter(names = "--data-dir", description = "Directory holding the data (default: the current directory)")
        String dataDir = ".";

        @Parameter(names = "--sync", description = "When writes reach the disk: never, every-second or always")
        String sync = "every-second";

        @Parameter(names = "--max-connections", description = "Connections served at once; more are refused")
        int maxConnections = ServerOptions.MAX_CONNECTIONS_DEFAULT;

        @Parameter(names = "--max-frame-bytes", description = "Largest request frame accepted, in bytes")
        int maxFrameBytes = FrameDescriptor.MAX_FRAME_BYTES_DEFAULT;

        @Parameter(names = "--idle-timeout", description = "Seconds before a silent connection is closed")
        long idleTimeoutSeconds = ServerOptions.IDLE_TIMEOUT_DEFAULT.toSeconds();

        @Parameter(names = "--event-loops", description = "Threads serving connections (default: half the cores, at least 1)")
        int eventLoops = ServerOptions.EVENT_LOOPS_DEFAULT;

        @Parameter(names = {"-V", "--version"}, description = "Print the version")
        boolean version;

        @Parameter(names = {"-h", "--help"}, help = true, description = "Print this help")
        boolean help;

        @Parameter(names = "--debug", description = "Print stack traces of failures")
        boolean debug;

        @Parameter(description = "(no arguments)", hidden = true)
        List<String> unexpected = new ArrayList<>();
    }

    private ServerMain() {
    }

    public static void main(String[] args) {
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        Options options = new Options();
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
            running.awaitStopped();
            System.exit(0);
        } catch (CliFailure e) {
            err.println(PROGRAM + ": " + e.getMessage());
            if (e.exitCode() == CliFailure.USAGE) {
                err.println("Run '" + PROGRAM + " --help' for usage.");
            }
            ClientMain.printTrace(options.debug, err, e);
            System.exit(e.exitCode());
        } catch (KvsException e) {
            err.println(PROGRAM + ": " + e.getMessage());
            ClientMain.printTrace(options.debug, err, e);
            System.exit(CliFailure.FAILURE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            System.exit(CliFailure.FAILURE);
        }
    }

    /**
     * Parses {@code args} into {@code options}, and unless they ask only for the version or help
     * (printed to {@code out}; returns null), binds, opens the engine and starts serving.
     */
    static Running start(String[] args, Options options, PrintStream out) {
        JCommander commander = JCommander.newBuilder().programName(PROGRAM).addObject(options).build();
        try {
            commander.parse(args);
        } catch (ParameterException e) {
            throw CliFailure.usage(e.getMessage());
        }
        if (options.version) {
            out.println(PROGRAM + " " + Version.current());
            return null;
        }
        if (options.help) {
            StringBuilder usage = new StringBuilder();
            commander.getUsageFormatter().usage(usage);
            out.print(usage);
            return null;
        }
        if (!options.unexpected.isEmpty()) {
            String first = options.unexpected.get(0);
            throw CliFailure.usage((first.startsWith("-") ? "unknown option '" : "unexpected argument '") + first + "'");
        }
        if (options.engine != null && !ENGINES.contains(options.engine)) {
            throw CliFailure.usage("invalid engine '" + options.engine + "': valid engines are " + String.join(", ", ENGINES));
        }
        SyncPolicy sync;
        ServerOptions serverOptions;
        try {
            sync = KvStoreOptions.parseSyncPolicy(options.sync);
            serverOptions = ServerOptions.defaults()
                    .withMaxConnections(options.maxConnections)
                    .withMaxFrameBytes(options.maxFrameBytes)
                    .withIdleTimeout(Duration.ofSeconds(options.idleTimeoutSeconds))
                    .withEventLoops(options.eventLoops);
        } catch (IllegalArgumentException e) {
            throw CliFailure.usage(e.getMessage());
        }
        Path dataDir = Path.of(options.dataDir).toAbsolutePath().normalize();
        Optional<String> existing = DataDirectory.engineOf(dataDir);
        String engineName = options.engine != null ? options.engine : existing.orElse(KvStore.ENGINE_NAME);
        if (existing.isPresent() && !existing.get().equals(engineName)) {
            throw new CliFailure("data directory " + dataDir + " holds data of engine '" + existing.get()
                    + "', not '" + engineName + "'; start with --engine " + existing.get()
                    + " or choose another --data-dir", CliFailure.FAILURE);
        }
        KvsServer server = KvsServer.bind(options.address, serverOptions);
        KvsEngine engine;
        try {
            engine = engineName.equals(XodusKvsEngine.ENGINE_NAME)
                    ? XodusKvsEngine.open(dataDir, sync)
                    : KvStore.open(dataDir, KvStoreOptions.fromSystemProperties().withSyncPolicy(sync));
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        server.serve(engine);
        LOG.info("{} {} listening on {} (engine {}, data {}, sync {})", PROGRAM, Version.current(),
                KvsServer.format(server.address()), engineName, dataDir, sync.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
        return new Running(server, engine);
    }

    /** A started server and its engine, stopped together. */
    static final class Running {
        private final KvsServer server;
        private final KvsEngine engine;
        private final java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);
        private boolean stopping;

        Running(KvsServer server, KvsEngine engine) {
            this.server = server;
            this.engine = engine;
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
                    engine.close();
                } catch (RuntimeException e) {
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
