package io.kvs.net;

import io.kvs.core.KvStoreOptions;
import io.kvs.core.KvsEngine;
import io.kvs.core.SyncPolicy;
import io.kvs.core.log.KvStore;
import io.kvs.net.command.Credentials;
import io.kvs.net.command.Replication;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * A KvsServer in this JVM on a loopback port chosen at run time, over a fresh KvStore (sync
 * never) in a temporary directory it deletes on close: the fixture of the wire and client tests.
 */
public final class LoopbackServer implements AutoCloseable {

    private final Path dir;
    private final KvsEngine engine;
    private final KvsServer server;

    private LoopbackServer(ServerOptions options, Function<KvsEngine, Replication> replication) {
        try {
            dir = Files.createTempDirectory("kvs-server");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        engine = KvStore.open(dir, KvStoreOptions.defaults().withSyncPolicy(SyncPolicy.NEVER));
        server = KvsServer.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), options);
        server.serve(engine, replication == null ? null : replication.apply(engine));
    }

    private LoopbackServer(ServerOptions options) {
        this(options, null);
    }

    /** A server whose data commands go through the {@link Replication} {@code factory} makes for its engine. */
    public static LoopbackServer withReplication(ServerOptions options, Function<KvsEngine, Replication> factory) {
        return new LoopbackServer(options, factory);
    }

    /** A server with {@code options}. */
    public static LoopbackServer start(ServerOptions options) {
        return new LoopbackServer(options);
    }

    /** A server with the default options. */
    public static LoopbackServer start() {
        return new LoopbackServer(ServerOptions.defaults());
    }

    /** A server whose connections must authenticate with {@code password}. */
    public static LoopbackServer withPassword(String password) {
        return new LoopbackServer(ServerOptions.defaults().withCredentials(
                Credentials.of(password.getBytes(StandardCharsets.UTF_8))));
    }

    /** The address it listens on. */
    public InetSocketAddress address() {
        return server.address();
    }

    /** Its IP address as text, for clients that take host and port apart. */
    public String host() {
        return server.address().getAddress().getHostAddress();
    }

    /** Its port. */
    public int port() {
        return server.address().getPort();
    }

    /** The engine it serves. */
    public KvsEngine engine() {
        return engine;
    }

    @Override
    public void close() {
        server.close();
        engine.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // A temporary directory left behind is harmless.
        }
    }
}
