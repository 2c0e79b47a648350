package io.kvs.net;

import io.kvs.core.KvStoreOptions;
import io.kvs.core.SyncPolicy;
import io.kvs.core.log.KvStore;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A server in a child process, for tests that need more sockets than one process may open, or
 * that watch its threads and heap: serves a KvStore in {@code args[0]} on a free loopback port
 * (optional {@code args[1..3]}: max connections, idle timeout ms, frame timeout ms), prints
 * {@code port N}, then answers {@code stats} on stdin with
 * {@code threads T heap H connections C buffered B budget L} (B: bytes of input buffers held, L:
 * the partial-frame budget); exits when stdin closes.
 */
public final class ServerProcess {

    private ServerProcess() {
    }

    private static ServerOptions options(String[] args) {
        ServerOptions options = ServerOptions.defaults()
                .withMaxConnections(args.length > 1 ? Integer.parseInt(args[1]) : 20_000);
        if (args.length > 2) {
            options = options.withIdleTimeout(java.time.Duration.ofMillis(Long.parseLong(args[2])));
        }
        if (args.length > 3) {
            options = options.withFrameTimeout(java.time.Duration.ofMillis(Long.parseLong(args[3])));
        }
        return options;
    }

    public static void main(String[] args) throws Exception {
        try (KvStore store = KvStore.open(Path.of(args[0]), KvStoreOptions.fromSystemProperties());
             KvsServer server = KvsServer.start(store, new InetSocketAddress("127.0.0.1", 0), options(args))) {
            System.out.println("port " + server.address().getPort());
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null) {
                if (line.equals("stats")) {
                    System.gc();
                    long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
                    System.out.println("threads " + ManagementFactory.getThreadMXBean().getThreadCount()
                            + " heap " + heap + " connections " + server.openConnections()
                            + " buffered " + server.bufferedInputBytes() + " budget " + server.options().partialFrameBudgetBytes());
                    System.out.flush();
                }
            }
        }
    }
}
