package io.kvs.net;

import io.kvs.net.command.Credentials;
import io.kvs.net.protocol.FrameDescriptor;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits and sizing of a {@link KvsServer}: an immutable value built from {@link #defaults()}
 * with the {@code with...} methods. Every {@code with...} method checks its value against the
 * bounds named here ({@code _MIN} / {@code _MAX}) and throws {@link IllegalArgumentException}
 * with a sentence naming the limit and the value.
 */
public final class ServerOptions {

    /** Default limit on open connections. */
    public static final int MAX_CONNECTIONS_DEFAULT = 16_384;
    /** The highest connection limit that can be configured (each connection is a file descriptor). */
    public static final int MAX_CONNECTIONS_MAX = 1 << 20;
    /** The largest frame limit that can be configured; above the default no valid request gains anything. */
    public static final int MAX_FRAME_BYTES_MAX = 1 << 30;
    /** Default idle timeout: a connection that sends nothing for this long is closed. */
    public static final Duration IDLE_TIMEOUT_DEFAULT = Duration.ofMinutes(5);
    /** Default frame timeout: a frame must arrive whole within this time of its first byte. */
    public static final Duration FRAME_TIMEOUT_DEFAULT = Duration.ofSeconds(30);
    /** The shortest idle or frame timeout: one millisecond. */
    public static final Duration TIMEOUT_MIN = Duration.ofMillis(1);
    /** The longest idle or frame timeout: 365 days (far from overflowing a count of nanoseconds). */
    public static final Duration TIMEOUT_MAX = Duration.ofDays(365);

    /**
     * Default number of event loops: half the cores, at least one. The loops run the engine calls
     * themselves; the other cores are left to the engine's background work (sync, compaction),
     * the network stack and the JVM. On the 2-core reference machine one loop gave a lower p99
     * than two (see docs/BENCHMARKS.md).
     */
    public static final int EVENT_LOOPS_DEFAULT = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    /** The most event loops that can be configured. */
    public static final int EVENT_LOOPS_MAX = 256;

    /**
     * Default busy poll: after serving ready connections, a loop polls them again without sleeping
     * for this long before it blocks. A request that arrives within it finds the loop awake, so
     * its sender's system call does not have to wake a sleeping thread (on a virtual machine, an
     * idle virtual CPU as well): about 8 % more requests a second at pipeline 1 on the 2-core
     * reference machine (docs/BENCHMARKS.md, "Busy poll"). An idle loop does not poll.
     */
    public static final Duration BUSY_POLL_DEFAULT = Duration.ofNanos(20_000);
    /** The longest busy poll that can be configured: one millisecond. */
    public static final Duration BUSY_POLL_MAX = Duration.ofMillis(1);

    /**
     * Default partial-frame budget: a quarter of the maximum heap ({@code -Xmx}). The rest is
     * left for decoding the frames that are complete (a request's strings, the engine's copy) and
     * for everything else. A frame takes up to twice its size while it arrives (its buffer grows
     * by doubling), so the largest SET needs about 32 MiB: a heap of 160 MiB or more.
     */
    public static final long PARTIAL_FRAME_BUDGET_BYTES_DEFAULT = Runtime.getRuntime().maxMemory() / 4;
    /** The smallest partial-frame budget that can be configured: 64 KiB. */
    public static final long PARTIAL_FRAME_BUDGET_BYTES_MIN = 64 * 1024;

    private static final ServerOptions DEFAULTS = new ServerOptions(MAX_CONNECTIONS_DEFAULT,
            FrameDescriptor.MAX_FRAME_BYTES_DEFAULT, IDLE_TIMEOUT_DEFAULT, FRAME_TIMEOUT_DEFAULT,
            EVENT_LOOPS_DEFAULT, Math.max(PARTIAL_FRAME_BUDGET_BYTES_MIN, PARTIAL_FRAME_BUDGET_BYTES_DEFAULT), null,
            BUSY_POLL_DEFAULT);

    private final int maxConnections;
    private final int maxFrameBytes;
    private final Duration idleTimeout;
    private final Duration frameTimeout;
    private final int eventLoops;
    private final long partialFrameBudgetBytes;
    private final Credentials credentials;
    private final Duration busyPoll;

    private ServerOptions(int maxConnections, int maxFrameBytes, Duration idleTimeout, Duration frameTimeout,
                          int eventLoops, long partialFrameBudgetBytes, Credentials credentials, Duration busyPoll) {
        this.maxConnections = maxConnections;
        this.maxFrameBytes = maxFrameBytes;
        this.idleTimeout = idleTimeout;
        this.frameTimeout = frameTimeout;
        this.eventLoops = eventLoops;
        this.partialFrameBudgetBytes = partialFrameBudgetBytes;
        this.credentials = credentials;
        this.busyPoll = busyPoll;
    }

    /**
     * 16,384 connections, frames up to 16 MiB + 64 KiB + 10, 5 min idle, 30 s per frame, a loop per
     * two cores, a partial-frame budget of a quarter of the heap, a busy poll of 20 µs.
     */
    public static ServerOptions defaults() {
        return DEFAULTS;
    }

    /** Connections beyond this many are refused with an error frame. */
    public int maxConnections() {
        return maxConnections;
    }

    /** The largest frame length accepted; larger frames close the connection. */
    public int maxFrameBytes() {
        return maxFrameBytes;
    }

    /** How long a connection may stay silent between requests. */
    public Duration idleTimeout() {
        return idleTimeout;
    }

    /** How long a frame may take to arrive once its first byte has. */
    public Duration frameTimeout() {
        return frameTimeout;
    }

    /** Number of event loop threads. */
    public int eventLoops() {
        return eventLoops;
    }

    /**
     * The memory all connections together may hold in input not yet run: frames still arriving,
     * and frames waiting for their connection's output to drain. A connection that would take the
     * total past it is answered ERROR UNAVAILABLE and closed; the others carry on.
     */
    public long partialFrameBudgetBytes() {
        return partialFrameBudgetBytes;
    }

    /** How long a loop that has just served connections polls them again before it sleeps (zero: never). */
    public Duration busyPoll() {
        return busyPoll;
    }

    /** The password connections must give (AUTH), or null if they need none. */
    public Credentials credentials() {
        return credentials;
    }

    /** Returns a copy whose connections must authenticate with {@code credentials} (null: no password). */
    public ServerOptions withCredentials(Credentials credentials) {
        return new ServerOptions(maxConnections, maxFrameBytes, idleTimeout, frameTimeout, eventLoops, partialFrameBudgetBytes,
                credentials, busyPoll);
    }

    /** Returns a copy with the given connection limit (1 to {@link #MAX_CONNECTIONS_MAX}). */
    public ServerOptions withMaxConnections(int connections) {
        if (connections < 1 || connections > MAX_CONNECTIONS_MAX) {
            throw new IllegalArgumentException("max connections must be from 1 to " + MAX_CONNECTIONS_MAX + ", got " + connections);
        }
        return new ServerOptions(connections, maxFrameBytes, idleTimeout, frameTimeout, eventLoops, partialFrameBudgetBytes,
                credentials, busyPoll);
    }

    /** Returns a copy with the given frame limit ({@link FrameDescriptor#MAX_FRAME_BYTES_MIN} to {@link #MAX_FRAME_BYTES_MAX}). */
    public ServerOptions withMaxFrameBytes(int bytes) {
        if (bytes < FrameDescriptor.MAX_FRAME_BYTES_MIN || bytes > MAX_FRAME_BYTES_MAX) {
            throw new IllegalArgumentException("max frame bytes must be from " + FrameDescriptor.MAX_FRAME_BYTES_MIN
                    + " to " + MAX_FRAME_BYTES_MAX + ", got " + bytes);
        }
        return new ServerOptions(maxConnections, bytes, idleTimeout, frameTimeout, eventLoops, partialFrameBudgetBytes,
                credentials, busyPoll);
    }

    /** Returns a copy with the given idle timeout ({@link #TIMEOUT_MIN} to {@link #TIMEOUT_MAX}). */
    public ServerOptions withIdleTimeout(Duration timeout) {
        return new ServerOptions(maxConnections, maxFrameBytes, bounded(timeout, "idle timeout"), frameTimeout,
                eventLoops, partialFrameBudgetBytes, credentials, busyPoll);
    }

    /** Returns a copy with the given frame timeout ({@link #TIMEOUT_MIN} to {@link #TIMEOUT_MAX}). */
    public ServerOptions withFrameTimeout(Duration timeout) {
        return new ServerOptions(maxConnections, maxFrameBytes, idleTimeout, bounded(timeout, "frame timeout"),
                eventLoops, partialFrameBudgetBytes, credentials, busyPoll);
    }

    /** Returns a copy with the given number of event loops (1 to {@link #EVENT_LOOPS_MAX}). */
    public ServerOptions withEventLoops(int loops) {
        if (loops < 1 || loops > EVENT_LOOPS_MAX) {
            throw new IllegalArgumentException("event loops must be from 1 to " + EVENT_LOOPS_MAX + ", got " + loops);
        }
        return new ServerOptions(maxConnections, maxFrameBytes, idleTimeout, frameTimeout, loops, partialFrameBudgetBytes,
                credentials, busyPoll);
    }

    /** Returns a copy with the given partial-frame budget (at least {@link #PARTIAL_FRAME_BUDGET_BYTES_MIN}). */
    public ServerOptions withPartialFrameBudgetBytes(long bytes) {
        if (bytes < PARTIAL_FRAME_BUDGET_BYTES_MIN) {
            throw new IllegalArgumentException("partial-frame budget must be at least " + PARTIAL_FRAME_BUDGET_BYTES_MIN
                    + " bytes, got " + bytes);
        }
        return new ServerOptions(maxConnections, maxFrameBytes, idleTimeout, frameTimeout, eventLoops, bytes,
                credentials, busyPoll);
    }

    /** Returns a copy with the given busy poll (zero, which turns it off, to {@link #BUSY_POLL_MAX}). */
    public ServerOptions withBusyPoll(Duration poll) {
        Objects.requireNonNull(poll, "busy poll");
        if (poll.isNegative() || poll.compareTo(BUSY_POLL_MAX) > 0) {
            throw new IllegalArgumentException("busy poll must be from 0 to " + BUSY_POLL_MAX.toNanos() / 1000
                    + " µs, got " + poll.toNanos() / 1000 + " µs");
        }
        return new ServerOptions(maxConnections, maxFrameBytes, idleTimeout, frameTimeout, eventLoops, partialFrameBudgetBytes,
                credentials, poll);
    }

    private static Duration bounded(Duration timeout, String what) {
        Objects.requireNonNull(timeout, what);
        if (timeout.compareTo(TIMEOUT_MIN) < 0 || timeout.compareTo(TIMEOUT_MAX) > 0) {
            throw new IllegalArgumentException(what + " must be from " + TIMEOUT_MIN.toMillis() + " ms to "
                    + TIMEOUT_MAX.toDays() + " days, got " + timeout);
        }
        return timeout;
    }

    @Override
    public String toString() {
        return "ServerOptions{maxConnections=" + maxConnections + ", maxFrameBytes=" + maxFrameBytes
                + ", idleTimeout=" + idleTimeout + ", frameTimeout=" + frameTimeout + ", eventLoops=" + eventLoops
                + ", partialFrameBudgetBytes=" + partialFrameBudgetBytes + ", password=" + (credentials != null) + ", busyPoll=" + busyPoll + '}';
    }
}
