package io.kvs.net;

import io.kvs.core.KvStoreOptions;
import io.kvs.core.KvsEngine;
import io.kvs.core.SyncPolicy;
import io.kvs.core.log.KvStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The event loop's busy poll ({@link ServerOptions#busyPoll}): requests are served with it on or
 * off, and a loop polls only right after it has served something, so an idle server sleeps.
 */
class BusyPollTest {

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
                long idleNanos = TimeUnit.MILLISECONDS.toNanos(600);
                long start = System.nanoTime();
                Thread.sleep(TimeUnit.NANOSECONDS.toMillis(idleNanos));
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

    private static InetSocketAddress loopback() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    }
}
