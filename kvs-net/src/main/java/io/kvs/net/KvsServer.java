package io.kvs.net;

import io.kvs.core.KvsEngine;
import io.kvs.core.KvsException;
import io.kvs.net.protocol.FrameDescriptor;
import io.kvs.net.protocol.FrameEncoder;
import io.kvs.net.protocol.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Serves a {@link KvsEngine} over TCP with the kvs protocol ({@code docs/PROTOCOL.md}).
 *
 * <p>One acceptor thread hands connections to a few {@link EventLoop}s (one per core by
 * default); no thread per connection, so idle connections cost a socket and a small object.
 * Each loop runs its connections' requests against the engine directly, so engine calls run
 * concurrently, one per loop. Connections beyond the limit get an error frame and are closed.
 * {@link #close()} stops accepting, lets each loop finish the requests it has read and flush
 * their responses, then closes every connection; the caller then closes the engine.
 */
public final class KvsServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KvsServer.class);

    private final ServerSocketChannel listener;
    private final InetSocketAddress address;
    private final ServerOptions options;
    private final List<EventLoop> loops = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicInteger openConnections = new AtomicInteger();
    private final CountDownLatch terminated = new CountDownLatch(1);
    private final byte[] busyFrame;
    private Thread acceptor;
    private volatile boolean closed;

    private KvsServer(ServerSocketChannel listener, ServerOptions options) throws IOException {
        this.listener = listener;
        this.address = (InetSocketAddress) listener.getLocalAddress();
        this.options = options;
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
     * Binds {@code bindAddress} without serving yet, so a program can find out that the port is
     * taken before it opens its data. Connections wait in the backlog until {@link #serve}.
     *
     * @throws ServerBindException if the address cannot be bound
     */
    public static KvsServer bind(InetSocketAddress bindAddress, ServerOptions options) {
        Objects.requireNonNull(bindAddress, "bindAddress must not be null");
        Objects.requireNonNull(options, "options must not be null");
        ServerSocketChannel listener = null;
        try {
            listener = ServerSocketChannel.open();
            listener.bind(bindAddress, 4096);
            return new KvsServer(listener, options);
        } catch (IOException e) {
            closeQuietly(listener);
            throw new ServerBindException(bindAddress, e);
        }
    }

    /** Starts serving {@code engine} on the bound address. Call once. */
    public synchronized void serve(KvsEngine engine) {
        Objects.requireNonNull(engine, "engine must not be null");
        if (acceptor != null || closed) {
            throw new IllegalStateException("server already started or closed");
        }
        RequestHandler handler = new RequestHandler(engine);
        try {
            for (int i = 0; i < options.eventLoops(); i++) {
                EventLoop loop = new EventLoop(handler, options, openConnections);
                Thread thread = new Thread(loop, "kvs-loop-" + i);
                loops.add(loop);
                threads.add(thread);
            }
        } catch (IOException e) {
            throw new KvsException("cannot start the server's event loops: " + e.getMessage(), e);
        }
        threads.forEach(Thread::start);
        acceptor = new Thread(this::acceptLoop, "kvs-acceptor");
        acceptor.start();
    }

    /** Blocks until {@link #close()} has finished. */
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

    private void acceptLoop() {
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
        }
        closeQuietly(listener);
        for (EventLoop loop : loops) {
            loop.shutdown();
        }
        try {
            if (acceptorThread != null) {
                acceptorThread.join(TimeUnit.SECONDS.toMillis(10));
            }
            for (Thread thread : threads) {
                thread.join(TimeUnit.SECONDS.toMillis(10));
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
