package io.kvs.net;

import io.kvs.core.KvsEngine;
import io.kvs.core.KvsException;
import io.kvs.net.command.Replication;
import io.kvs.net.command.ServerContext;
import io.kvs.net.protocol.FrameDescriptor;
import io.kvs.net.protocol.FrameEncoder;
import io.kvs.net.protocol.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.BindException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Serves a {@link KvsEngine} over TCP with the kvs protocol ({@code docs/PROTOCOL.md}).
 *
 * <p>One acceptor thread hands connections to a few {@link EventLoop}s (one per core by
 * default); no thread per connection, so idle connections cost a socket and a small object.
 * Each loop runs its connections' requests against the engine directly, so engine calls run
 * concurrently, one per loop. Connections beyond the limit get an error frame and are closed;
 * so does a connection whose partial frame the server's budget has no room for.
 * {@link #close()} stops accepting, lets each loop finish the requests it has read and flush
 * their responses, then closes every connection; the caller then closes the engine.
 *
 * <p>If an event loop or the acceptor stops on an unexpected error (an {@link Error} such as
 * {@link OutOfMemoryError}; a failure of a single connection only closes that connection), the
 * server logs it in one line and closes itself: new clients are refused rather than left
 * waiting, {@link #awaitTermination()} returns and {@link #failure()} holds the cause.
 */
public final class KvsServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KvsServer.class);
    /** Connections the OS may hold for the acceptor. */
    private static final int BACKLOG = 4096;

    private final InetSocketAddress address;
    private final ServerOptions options;
    private final PartialFrameBudget budget;
    private final List<EventLoop> loops = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicInteger openConnections = new AtomicInteger();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final CountDownLatch terminated = new CountDownLatch(1);
    private final byte[] busyFrame;
    /** Holds the port, without listening, from {@link #bind} until {@link #serve}; null after. */
    private SocketChannel reservation;
    private ServerSocketChannel listener;
    private Thread acceptor;
    /** The JMX name of the engine's stats while serving, or null. */
    private javax.management.ObjectName statsName;
    private volatile boolean closed;

    private KvsServer(SocketChannel reservation, ServerOptions options) throws IOException {
        this.reservation = reservation;
        this.address = (InetSocketAddress) reservation.getLocalAddress();
        this.options = options;
        this.budget = new PartialFrameBudget(options.partialFrameBudgetBytes());
        this.busyFrame = FrameEncoder.encodeResponse(Response.error(FrameDescriptor.ERROR_UNAVAILABLE,
                "server is at its limit of " + options.maxConnections() + " connections"));
    }

    /**
     * Binds {@code bindAddress} (port 0 picks a free port) and starts serving {@code engine}.
     *
     * @throws ServerBindException if the address cannot be bound
     */
    public static KvsServer start(KvsEngine engine, InetSocketAddress bindAddress, ServerOptions options) {
        KvsServer server = bind(bindAddress, options);
        try {
            server.serve(engine);
            return server;
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    /**
     * Reserves {@code bindAddress} without listening yet, so a program can find out that the port
     * is taken before it opens its data. Until {@link #serve}, connections to the address are
     * refused (not queued: a client never gets a connection that is then reset because the
     * engine failed to open). An IPv4 address binds IPv4 only ({@code 0.0.0.0} is every IPv4
     * interface, not IPv6 too); an IPv6 address binds an IPv6 socket.
     *
     * @throws ServerBindException if the address cannot be bound
     */
    public static KvsServer bind(InetSocketAddress bindAddress, ServerOptions options) {
        Objects.requireNonNull(bindAddress, "bindAddress must not be null");
        Objects.requireNonNull(options, "options must not be null");
        if (bindAddress.isUnresolved()) {
            throw new ServerBindException(bindAddress, new UnknownHostException("unresolved host " + bindAddress.getHostString()));
        }
        SocketChannel reservation = null;
        try {
            reservation = SocketChannel.open(family(bindAddress));
            // A socket that is bound but never listens or connects holds the port: connections to
            // it are refused. With SO_REUSEADDR on both, the listener may later bind the same port
            // while this still holds it; a port another socket listens on fails here all the same.
            reservation.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            reservation.bind(bindAddress);
            return new KvsServer(reservation, options);
        } catch (IOException e) {
            closeQuietly(reservation);
            throw new ServerBindException(bindAddress, e);
        }
    }

    private static ProtocolFamily family(InetSocketAddress address) {
        return address.getAddress() instanceof Inet4Address ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6;
    }

    /**
     * Starts listening on the reserved address and serving {@code engine}, and registers its stats
     * as a JMX MBean ({@link EngineStatsMXBean}) until the server closes. Call once.
     *
     * @throws ServerBindException if the listener cannot bind the reserved address
     */
    public synchronized void serve(KvsEngine engine) {
        serve(engine, null);
    }

    /**
     * As {@link #serve(KvsEngine)}, for a replicated server: data commands go through
     * {@code replication} (null: applied to {@code engine} directly), which applies them to
     * {@code engine} in log order; the server itself only reads the engine's stats.
     */
    public synchronized void serve(KvsEngine engine, Replication replication) {
        Objects.requireNonNull(engine, "engine must not be null");
        if (acceptor != null || closed) {
            throw new IllegalStateException("server already started or closed");
        }
        ServerContext context = new ServerContext(engine, engine.engineName(), KvsVersion.current(), address.getPort(),
                options.credentials(), replication);
        listener = listen();
        try {
            for (int i = 0; i < options.eventLoops(); i++) {
                String name = "kvs-loop-" + i;
                EventLoop loop = new EventLoop(context, options, openConnections, budget, cause -> failed(name, cause));
                loops.add(loop);
                threads.add(new Thread(loop, name));
            }
        } catch (IOException e) {
            throw new KvsException("cannot start the server's event loops: " + e.getMessage(), e);
        }
        threads.forEach(Thread::start);
        acceptor = new Thread(this::acceptLoop, "kvs-acceptor");
        acceptor.start();
        statsName = EngineStatsBean.register(engine, address.getPort());
    }

    /** Binds the listener to the reserved address, then gives the reservation up. */
    private ServerSocketChannel listen() {
        ServerSocketChannel channel = null;
        try {
            try {
                channel = openListener();
            } catch (BindException e) {
                // Where the OS lets no listener share a port with another socket (BSD rules), the
                // reservation is given up for the moment it takes to bind again.
                closeQuietly(reservation);
                channel = openListener();
            }
            return channel;
        } catch (IOException e) {
            throw new ServerBindException(address, e);
        } finally {
            closeQuietly(reservation);
            reservation = null;
        }
    }

    private ServerSocketChannel openListener() throws IOException {
        ServerSocketChannel channel = ServerSocketChannel.open(family(address));
        try {
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            channel.bind(address, BACKLOG);
            return channel;
        } catch (IOException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    /** Called on a loop's (or the acceptor's) thread when it stopped on an unexpected error. */
    private void failed(String threadName, Throwable cause) {
        if (closed || !failure.compareAndSet(null, cause)) {
            LOG.debug("{} stopped on {} while the server was closing", threadName, cause.toString());
            return;
        }
        LOG.error("{} failed: {}; the server is closed", threadName, cause.toString());
        LOG.debug("{} failure", threadName, cause);
        close();
    }

    /**
     * The unexpected error that stopped the server, if one did (see the class comment); empty
     * while it runs and after an ordinary {@link #close()}.
     */
    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure.get());
    }

    /** Blocks until {@link #close()} has finished, or the server has closed itself after a {@link #failure()}. */
    public void awaitTermination() throws InterruptedException {
        terminated.await();
    }

    /** The address the server listens on (with the actual port if 0 was asked for). */
    public InetSocketAddress address() {
        return address;
    }

    /** The options the server runs with. */
    public ServerOptions options() {
        return options;
    }

    /** Connections open right now. */
    public int openConnections() {
        return openConnections.get();
    }

    /**
     * Bytes the connections hold right now in input buffers (partial frames, and frames waiting
     * for output to drain), never more than {@link ServerOptions#partialFrameBudgetBytes()}.
     */
    public long bufferedInputBytes() {
        return budget.usedBytes();
    }

    private void acceptLoop() {
        try {
            accept();
        } catch (Throwable e) {
            failed(Thread.currentThread().getName(), e);
        }
    }

    private void accept() {
        int next = 0;
        while (!closed) {
            SocketChannel channel;
            try {
                channel = listener.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (!closed) {
                    // Usually out of file descriptors: back off instead of spinning.
                    LOG.error("accept failed: {}", e.getMessage());
                    sleepQuietly(100);
                }
                continue;
            }
            if (openConnections.incrementAndGet() > options.maxConnections()) {
                refuse(channel);
                continue;
            }
            loops.get(next).adopt(channel);
            next = (next + 1) % loops.size();
        }
    }

    /** Tells a connection over the limit why, without waiting for it, and closes it. */
    private void refuse(SocketChannel channel) {
        try {
            channel.configureBlocking(false);
            channel.write(ByteBuffer.wrap(busyFrame));
        } catch (IOException ignored) {
            // The client learns from the closed connection instead.
        } finally {
            closeQuietly(channel);
            openConnections.decrementAndGet();
        }
    }

    /**
     * Stops accepting, finishes the requests already read, flushes their responses and closes
     * every connection. Returns when all server threads have stopped. Idempotent.
     */
    @Override
    public void close() {
        Thread acceptorThread;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            acceptorThread = acceptor;
            EngineStatsBean.unregister(statsName);
            statsName = null;
            closeQuietly(reservation);
            closeQuietly(listener);
        }
        for (EventLoop loop : loops) {
            loop.shutdown();
        }
        try {
            // A loop that failed closes the server from its own thread: it does not wait for itself.
            if (acceptorThread != null && acceptorThread != Thread.currentThread()) {
                acceptorThread.join(TimeUnit.SECONDS.toMillis(10));
            }
            for (Thread thread : threads) {
                if (thread != Thread.currentThread()) {
                    thread.join(TimeUnit.SECONDS.toMillis(10));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            terminated.countDown();
        }
    }

    /** Formats an address as {@code IP:PORT}; see {@link SocketAddresses#format}. */
    public static String format(InetSocketAddress address) {
        return SocketAddresses.format(address);
    }

    private static void closeQuietly(java.io.Closeable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (IOException ignored) {
            // Nothing to do about a failed close here.
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "KvsServer{" + format(address) + '}';
    }
}
