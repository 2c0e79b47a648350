package io.kvs.net;

import io.kvs.net.protocol.FrameDescriptor;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits and sizing of a {@link KvsServer}: an immutable value built from {@link #defaults()}
 * with the {@code with...} methods.
 */
public final class ServerOptions {

    /** Default limit on open connections. */
    public static final int MAX_CONNECTIONS_DEFAULT = 16_384;
    /** Default idle timeout: a connection that sends nothing for this long is closed. */
    public static final Duration IDLE_TIMEOUT_DEFAULT = Duration.ofMinutes(5);
    /** Default frame timeout: a frame must arrive whole within this time of its first byte. */
    public static final Duration FRAME_TIMEOUT_DEFAULT = Duration.ofSeconds(30);

    /**
     * Default number of event loops: half the cores, at least one. The loops run the engine calls
     * themselves; the other cores are left to the engine's background work (sync, compaction),
     * the network stack and the JVM. On the 2-core reference machine one loop gave a lower p99
     * than two (see docs/BENCHMARKS.md).
     */
    public static final int EVENT_LOOPS_DEFAULT = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);

    private static final ServerOptions DEFAULTS = new ServerOptions(MAX_CONNECTIONS_DEFAULT,
            FrameDescriptor.MAX_FRAME_BYTES_DEFAULT, IDLE_TIMEOUT_DEFAULT, FRAME_TIMEOUT_DEFAULT,
            EVENT_LOOPS_DEFAULT);

    private final int maxConnections;
    private final int maxFrameBytes;
    private final Duration idleTimeout;
    private final Duration frameTimeout;
    private final int eventLoops;

    private ServerOptions(int maxConnections, int maxFrameBytes, Duration idleTimeout, Duration frameTimeout,
                          int eventLoops) {
        this.maxConnections = maxConnections;
        this.maxFrameBytes = maxFrameBytes;
        this.idleTimeout = idleTimeout;
        this.frameTimeout = frameTimeout;
        this.eventLoops = eventLoops;
    }

    /** 16,384 connections, frames up to 16 MiB + 64 KiB + 10, 5 min idle, 30 s per frame, a loop per two cores. */
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

    /** Returns a copy with the given connection limit (at least 1). */
    public ServerOptions withMaxConnections(int connections) {
        if (connections < 1) {
            throw new IllegalArgumentException("max connections must be at least 1, got " + connections);
        }
        return new ServerOptions(connections, maxFrameBytes, idleTimeout, frameTimeout, eventLoops);
    }

    /** Returns a copy with the given frame limit (at least {@link FrameDescriptor#MAX_FRAME_BYTES_MIN}). */
    public ServerOptions withMaxFrameBytes(int bytes) {
        if (bytes < FrameDescriptor.MAX_FRAME_BYTES_MIN) {
            throw new IllegalArgumentException("max frame bytes must be at least "
                    + FrameDescriptor.MAX_FRAME_BYTES_MIN + ", got " + bytes);
        }
        return new ServerOptions(maxConnections, bytes, idleTimeout, frameTimeout, eventLoops);
    }

    /** Returns a copy with the given idle timeout (positive). */
    public ServerOptions withIdleTimeout(Duration timeout) {
        return new ServerOptions(maxConnections, maxFrameBytes, positive(timeout, "idle timeout"), frameTimeout, eventLoops);
    }

    /** Returns a copy with the given frame timeout (positive). */
    public ServerOptions withFrameTimeout(Duration timeout) {
        return new ServerOptions(maxConnections, maxFrameBytes, idleTimeout, positive(timeout, "frame timeout"), eventLoops);
    }

    /** Returns a copy with the given number of event loops (at least 1). */
    public ServerOptions withEventLoops(int loops) {
        if (loops < 1) {
            throw new IllegalArgumentException("event loops must be at least 1, got " + loops);
        }
        return new ServerOptions(maxConnections, maxFrameBytes, idleTimeout, frameTimeout, loops);
    }

    private static Duration positive(Duration timeout, String what) {
        Objects.requireNonNull(timeout, what);
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException(what + " must be positive, got " + timeout);
        }
        return timeout;
    }

    @Override
    public String toString() {
        return "ServerOptions{maxConnections=" + maxConnections + ", maxFrameBytes=" + maxFrameBytes
                + ", idleTimeout=" + idleTimeout + ", frameTimeout=" + frameTimeout + ", eventLoops=" + eventLoops + '}';
    }
}
