package io.kvs.net.resp;

import io.kvs.core.KvsEngine;
import io.kvs.core.KvStoreOptions;
import io.kvs.core.SyncPolicy;
import io.kvs.core.log.KvStore;
import io.kvs.net.KvsServer;
import io.kvs.net.ServerOptions;
import io.kvs.net.command.Credentials;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** A kvs-server on a loopback port chosen at run time, over a fresh KvStore, for the RESP client tests. */
final class RespServerFixture implements AutoCloseable {

    /** The password of {@link #withPassword()} servers. */
    static final String PASSWORD = "correct horse battery staple";

    private final Path dir;
    private final KvsEngine engine;
    private final KvsServer server;

    private RespServerFixture(Credentials credentials) {
        try {
            dir = Files.createTempDirectory("kvs-resp");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        engine = KvStore.open(dir, KvStoreOptions.defaults().withSyncPolicy(SyncPolicy.NEVER));
        server = KvsServer.start(engine, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                ServerOptions.defaults().withCredentials(credentials));
    }

    /** A server without a password. */
    static RespServerFixture start() {
        return new RespServerFixture(null);
    }

    /** A server that asks for {@link #PASSWORD}. */
    static RespServerFixture withPassword() {
        return new RespServerFixture(Credentials.of(PASSWORD.getBytes(StandardCharsets.UTF_8)));
    }

    String host() {
        return server.address().getAddress().getHostAddress();
    }

    int port() {
        return server.address().getPort();
    }

    KvsEngine engine() {
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
