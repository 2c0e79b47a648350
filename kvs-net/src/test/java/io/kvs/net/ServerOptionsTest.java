package io.kvs.net;

import io.kvs.net.protocol.FrameDescriptor;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every option of the server is bounded, and a value out of bounds is refused when it is set. */
class ServerOptionsTest {

    /** Regression: an idle timeout of 10^10 s was accepted, then overflowed a long of nanoseconds in the event loop. */
    @Test
    void timeoutsBeyondTheMaximumAreRefused() {
        Duration huge = Duration.ofSeconds(10_000_000_000L);
        IllegalArgumentException idle = assertThrows(IllegalArgumentException.class,
                () -> ServerOptions.defaults().withIdleTimeout(huge));
        assertTrue(idle.getMessage().startsWith("idle timeout must be from 1 ms to 365 days"), idle.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ServerOptions.defaults().withFrameTimeout(huge));
        assertThrows(IllegalArgumentException.class, () -> ServerOptions.defaults().withIdleTimeout(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> ServerOptions.defaults().withFrameTimeout(Duration.ofNanos(999_999)));
        assertEquals(ServerOptions.TIMEOUT_MAX, ServerOptions.defaults().withIdleTimeout(ServerOptions.TIMEOUT_MAX).idleTimeout());
        // The longest timeout leaves room to add it to any System.nanoTime() of the next century.
        assertTrue(ServerOptions.TIMEOUT_MAX.toNanos() < Long.MAX_VALUE / 100);
    }

    @Test
    void countsAndSizesOutOfRangeAreRefused() {
        ServerOptions defaults = ServerOptions.defaults();
        assertThrows(IllegalArgumentException.class, () -> defaults.withMaxConnections(0));
        assertThrows(IllegalArgumentException.class, () -> defaults.withMaxConnections(ServerOptions.MAX_CONNECTIONS_MAX + 1));
        assertThrows(IllegalArgumentException.class, () -> defaults.withEventLoops(0));
        assertThrows(IllegalArgumentException.class, () -> defaults.withEventLoops(ServerOptions.EVENT_LOOPS_MAX + 1));
        assertThrows(IllegalArgumentException.class, () -> defaults.withMaxFrameBytes(FrameDescriptor.MAX_FRAME_BYTES_MIN - 1));
        assertThrows(IllegalArgumentException.class, () -> defaults.withMaxFrameBytes(ServerOptions.MAX_FRAME_BYTES_MAX + 1));
        assertThrows(IllegalArgumentException.class,
                () -> defaults.withPartialFrameBudgetBytes(ServerOptions.PARTIAL_FRAME_BUDGET_BYTES_MIN - 1));
        assertEquals(1 << 20, defaults.withPartialFrameBudgetBytes(1 << 20).partialFrameBudgetBytes());
    }

    @Test
    void busyPollIsFromZeroToOneMillisecond() {
        ServerOptions defaults = ServerOptions.defaults();
        assertEquals(Duration.ofNanos(20_000), defaults.busyPoll());
        assertEquals(Duration.ZERO, defaults.withBusyPoll(Duration.ZERO).busyPoll());
        assertEquals(ServerOptions.BUSY_POLL_MAX, defaults.withBusyPoll(ServerOptions.BUSY_POLL_MAX).busyPoll());
        IllegalArgumentException longer = assertThrows(IllegalArgumentException.class,
                () -> defaults.withBusyPoll(ServerOptions.BUSY_POLL_MAX.plusNanos(1000)));
        assertEquals("busy poll must be from 0 to 1000 µs, got 1001 µs", longer.getMessage());
        assertThrows(IllegalArgumentException.class, () -> defaults.withBusyPoll(Duration.ofNanos(-1)));
    }

    @Test
    void partialFrameBudgetDefaultsToAQuarterOfTheMaximumHeap() {
        assertEquals(Runtime.getRuntime().maxMemory() / 4, ServerOptions.defaults().partialFrameBudgetBytes());
        assertEquals(ServerOptions.PARTIAL_FRAME_BUDGET_BYTES_DEFAULT, ServerOptions.defaults().partialFrameBudgetBytes());
    }
}
