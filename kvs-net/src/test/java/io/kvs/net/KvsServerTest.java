package io.kvs.net;

import io.kvs.core.KvStoreOptions;
import io.kvs.core.KvsEngine;
import io.kvs.core.SyncPolicy;
import io.kvs.core.log.KvStore;
import io.kvs.net.protocol.FrameDescriptor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The server's life cycle: when it accepts connections, what address it binds, what happens
 * when an event loop meets an error it cannot survive, and when a loop busy-polls.
 */
class KvsServerTest {

    private static final int TIMEOUT_MILLIS = 10_000;

    @TempDir
    Path dir;
    private KvsEngine engine;

    @BeforeEach
    void open() {
        engine = KvStore.open(dir, KvStoreOptions.defaults().withSyncPolicy(SyncPolicy.NEVER));
    }

    @AfterEach
    void closeEngine() {
        engine.close();
    }

    private static InetSocketAddress loopback() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    }

    /** Regression: bind() used to listen, so clients were queued before the engine opened, then reset if it failed. */
    @Test
    void connectionsAreRefusedNotQueuedUntilTheServerServes() throws IOException {
        try (KvsServer server = KvsServer.bind(loopback(), ServerOptions.defaults())) {
            assertRefused(server.address());
            server.serve(engine);
            try (KvsClient client = KvsClient.connect(server.address())) {
                client.ping();
            }
        }
    }

    @Test
    void aBoundServerThatNeverServesRefusesConnectionsAndFreesThePortOnClose() throws IOException {
        InetSocketAddress address;
        try (KvsServer server = KvsServer.bind(loopback(), ServerOptions.defaults())) {
            address = server.address();
            assertRefused(address);
        }
        try (ServerSocket again = new ServerSocket()) {
            again.bind(address);
        }
    }

    @Test
    void takenPortFailsAtBindBeforeAnythingElse() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), taken.getLocalPort());
            ServerBindException e = assertThrows(ServerBindException.class, () -> KvsServer.bind(address, ServerOptions.defaults()));
            assertTrue(e.getMessage().startsWith("cannot listen on 127.0.0.1:" + taken.getLocalPort()), e.getMessage());
        }
    }

    @Test
    void engineStatsAreAJmxMBeanWhileTheServerServes() throws Exception {
        javax.management.MBeanServer jmx = java.lang.management.ManagementFactory.getPlatformMBeanServer();
        javax.management.ObjectName name;
        try (KvsServer server = KvsServer.start(engine, loopback(), ServerOptions.defaults())) {
            name = new javax.management.ObjectName("io.kvs:type=Engine,port=" + server.address().getPort());
            try (KvsClient client = KvsClient.connect(server.address())) {
                client.set("a", "1");
                client.set("b", "2");
                client.get("a");
            }
            assertEquals(2L, jmx.getAttribute(name, "Keys"));
            assertTrue((Long) jmx.getAttribute(name, "Writes") >= 2);
            assertTrue((Long) jmx.getAttribute(name, "Reads") >= 1);
            assertTrue((Long) jmx.getAttribute(name, "DiskBytes") > 0);
        }
        assertTrue(!jmx.isRegistered(name), "unregistered when the server closes");
    }

    /** Regression: 0.0.0.0 was bound on a dual-stack socket, which listens on [::] (IPv6 too). */
    @Test
    void ipv4WildcardBindsAnIpv4SocketOnly() {
        try (KvsServer server = KvsServer.start(engine, new InetSocketAddress("0.0.0.0", 0), ServerOptions.defaults())) {
            assertTrue(server.address().getAddress() instanceof Inet4Address, server.address().toString());
            assertEquals("0.0.0.0:" + server.address().getPort(), KvsServer.format(server.address()));
            try (KvsClient client = KvsClient.connect(new InetSocketAddress("127.0.0.1", server.address().getPort()))) {
                client.ping();
            }
        }
    }

    /** Regression: an Error in an event loop left a server that accepted connections and never answered them. */
    @Test
    void errorInAnEventLoopClosesTheServerAndReportsTheFailure() throws Exception {
        KvsEngine failing = failingOn("boom", new StackOverflowError("injected"));
        KvsServer server = KvsServer.start(failing, loopback(), ServerOptions.defaults().withEventLoops(1));
        try (KvsClient client = KvsClient.connect(server.address(), Duration.ofMillis(TIMEOUT_MILLIS))) {
            client.set("k", "v");
            assertThrows(ConnectionFailedException.class, () -> client.get("boom"));
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MILLIS);
        while (server.failure().isEmpty() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertTrue(server.failure().orElseThrow() instanceof StackOverflowError, String.valueOf(server.failure()));
        server.awaitTermination();
        assertRefused(server.address());
        assertEquals(0, server.openConnections());
        server.close();
    }

    @Test
    void runtimeExceptionFromTheEngineIsAnInternalErrorAndTheLoopKeepsServing() {
        KvsEngine failing = failingOn("boom", new IllegalStateException("injected"));
        try (KvsServer server = KvsServer.start(failing, loopback(), ServerOptions.defaults().withEventLoops(1));
             KvsClient client = KvsClient.connect(server.address())) {
            ServerErrorException e = assertThrows(ServerErrorException.class, () -> client.get("boom"));
            assertEquals(FrameDescriptor.ERROR_INTERNAL, e.errorCode());
            client.set("after", "failure");
            assertEquals(Optional.of("failure"), client.get("after"));
            assertTrue(server.failure().isEmpty());
        }
    }

    /** Regression: an idle timeout near Long.MAX_VALUE nanoseconds overflowed in the timeout sweep and killed the loop. */
    @Test
    void longestTimeoutsSurviveTheTimeoutSweep() throws IOException {
        ServerOptions longest = ServerOptions.defaults().withEventLoops(1)
                .withIdleTimeout(ServerOptions.TIMEOUT_MAX).withFrameTimeout(ServerOptions.TIMEOUT_MAX);
        try (KvsServer server = KvsServer.start(engine, loopback(), longest);
             RawConnection partial = new RawConnection(server.address(), TIMEOUT_MILLIS);
             KvsClient client = KvsClient.connect(server.address())) {
            // A partial frame, so the sweep checks both timeouts; then keep asking across several sweeps.
            partial.send(RawConnection.hex("00000010 01 01 0000"));
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
            while (System.nanoTime() < until) {
                client.ping();
            }
            assertTrue(server.failure().isEmpty(), String.valueOf(server.failure()));
            assertEquals(2, server.openConnections());
        }
    }

    /** The event loop's busy poll ({@link ServerOptions#busyPoll}) off: requests are served as with it on. */
    @Test
    void requestsAreServedWithTheBusyPollOff() throws IOException {
        try (KvsServer server = KvsServer.bind(loopback(), ServerOptions.defaults().withBusyPoll(Duration.ZERO))) {
            server.serve(engine);
            try (KvsClient client = KvsClient.connect(server.address())) {
                for (int i = 0; i < 200; i++) {
                    client.set("key" + i, "value" + i);
                }
                assertEquals(Optional.of("value199"), client.get("key199"));
            }
        }
    }

    /** A loop polls only right after it has served something, so an idle server sleeps. */
    @Test
    void aLoopThatHasServedRequestsStopsPollingOnceIdle() throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isCurrentThreadCpuTimeSupported(), "this JVM does not measure thread CPU time");
        Set<Long> before = loopThreadIds();
        // The longest poll there is: a loop that never stopped polling would burn the whole idle wait.
        try (KvsServer server = KvsServer.bind(loopback(), ServerOptions.defaults().withBusyPoll(ServerOptions.BUSY_POLL_MAX))) {
            server.serve(engine);
            try (KvsClient client = KvsClient.connect(server.address())) {
                for (int i = 0; i < 2_000; i++) {
                    client.set("key" + i, "value" + i);
                }
                List<Long> loops = loopThreadIds().stream().filter(id -> !before.contains(id)).toList();
                assertFalse(loops.isEmpty(), "the server's event loop threads were not found");
                long cpuBefore = cpuNanos(threads, loops);
                long start = System.nanoTime();
                Thread.sleep(600); // the idle time measured, not a wait for a condition
                long wall = System.nanoTime() - start;
                long cpu = cpuNanos(threads, loops) - cpuBefore;
                assertTrue(cpu < wall / 4, "an idle event loop used " + cpu / 1_000_000 + " ms of CPU in "
                        + wall / 1_000_000 + " ms");
                assertEquals(Optional.of("value1999"), client.get("key1999"));
            }
        }
    }

    private static Set<Long> loopThreadIds() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().startsWith("kvs-loop-"))
                .map(Thread::getId)
                .collect(Collectors.toSet());
    }

    private static long cpuNanos(ThreadMXBean threads, List<Long> ids) {
        long total = 0;
        for (long id : ids) {
            total += Math.max(0, threads.getThreadCpuTime(id));
        }
        return total;
    }

    private static void assertRefused(InetSocketAddress address) throws IOException {
        try (Socket socket = new Socket()) {
            assertThrows(ConnectException.class, () -> socket.connect(address, TIMEOUT_MILLIS),
                    "a connection to " + address + " was accepted");
        }
    }

    /** The test's engine, except that {@code get(key)} throws {@code failure}. */
    private KvsEngine failingOn(String key, Throwable failure) {
        return (KvsEngine) Proxy.newProxyInstance(KvsEngine.class.getClassLoader(), new Class<?>[]{KvsEngine.class},
                (proxy, method, args) -> {
                    if (args != null && args.length > 0 && (key.equals(args[0])
                            || args[0] instanceof byte[] bytes && key.equals(new String(bytes, java.nio.charset.StandardCharsets.UTF_8)))) {
                        throw failure;
                    }
                    try {
                        return method.invoke(engine, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
