package io.kvs.net;

import io.kvs.net.protocol.FrameDecoder;
import io.kvs.net.protocol.FrameDescriptor;
import io.kvs.net.protocol.FrameEncoder;
import io.kvs.net.protocol.ProtocolException;
import io.kvs.net.protocol.Request;
import io.kvs.net.protocol.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One selector thread serving many connections. It reads whatever requests have arrived,
 * runs them against the engine in order, and writes the responses back in the same order
 * (pipelining). A connection whose client does not read its responses stops being read until
 * its output drains, so memory per connection stays bounded. A protocol violation gets an
 * error response and then the connection is closed; nothing a client sends can stop the loop.
 */
final class EventLoop implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(EventLoop.class);
    /** Shared read and write buffers; larger frames get a buffer of their own. */
    private static final int SHARED_BUFFER_BYTES = 64 * 1024;
    /** A partial frame starts in a buffer this large (or exactly its announced size). */
    private static final int INITIAL_INPUT_BYTES = 4 * 1024;
    private static final long SWEEP_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

    private final Selector selector;
    private final RequestHandler handler;
    private final FrameDecoder decoder;
    private final ServerOptions options;
    private final AtomicInteger openConnections;
    private final Queue<SocketChannel> incoming = new ConcurrentLinkedQueue<>();
    /** Direct, so that socket reads and writes need no copy through a temporary buffer. */
    private final ByteBuffer sharedInput = ByteBuffer.allocateDirect(SHARED_BUFFER_BYTES);
    private final ByteBuffer sharedOutput = ByteBuffer.allocateDirect(SHARED_BUFFER_BYTES);
    private volatile boolean running = true;
    private long lastSweepNanos = System.nanoTime();

    EventLoop(RequestHandler handler, ServerOptions options, AtomicInteger openConnections) throws IOException {
        this.selector = Selector.open();
        this.handler = handler;
        this.decoder = new FrameDecoder(options.maxFrameBytes());
        this.options = options;
        this.openConnections = openConnections;
    }

    /** Hands an accepted connection to this loop. Any thread. */
    void adopt(SocketChannel channel) {
        incoming.add(channel);
        selector.wakeup();
    }

    /** Asks the loop to finish the requests it has read, flush what it can and close everything. */
    void shutdown() {
        running = false;
        selector.wakeup();
    }

    @Override
    public void run() {
        try {
            while (running) {
                // The consumer form hands over ready keys without building a selected-key set.
                selector.select(this::serve, TimeUnit.NANOSECONDS.toMillis(SWEEP_INTERVAL_NANOS));
                registerIncoming();
                long now = System.nanoTime();
                if (now - lastSweepNanos >= SWEEP_INTERVAL_NANOS) {
                    closeTimedOut(now);
                    lastSweepNanos = now;
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.error("event loop failed", e);
        } finally {
            closeAll();
        }
    }

    private void registerIncoming() {
        SocketChannel channel;
        while ((channel = incoming.poll()) != null) {
            try {
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                SelectionKey key = channel.register(selector, SelectionKey.OP_READ);
                key.attach(new Connection(channel, key, String.valueOf(channel.getRemoteAddress()), System.nanoTime()));
            } catch (IOException e) {
                LOG.debug("dropping connection that failed to register: {}", e.toString());
                closeChannel(channel);
            }
        }
    }

    private void serve(SelectionKey key) {
        Connection connection = (Connection) key.attachment();
        try {
            if (key.isWritable()) {
                flushPending(connection);
            }
            if (key.isValid() && key.isReadable()) {
                read(connection);
            }
        } catch (IOException | CancelledKeyException e) {
            close(connection);
        } catch (RuntimeException e) {
            LOG.error("closing {} after an unexpected failure", connection, e);
            close(connection);
        }
    }

    private void read(Connection connection) throws IOException {
        ByteBuffer buffer;
        if (connection.input != null) {
            buffer = connection.input;
            if (!buffer.hasRemaining()) {
                buffer = grow(connection);
            }
        } else {
            buffer = sharedInput;
            buffer.clear();
        }
        int read = connection.channel.read(buffer);
        if (read < 0) {
            close(connection);
            return;
        }
        if (read == 0) {
            return;
        }
        long now = System.nanoTime();
        connection.lastReadNanos = now;
        buffer.flip();
        int processed = process(connection, buffer);
        keepLeftover(connection, buffer, processed > 0 ? now : connection.partialSinceNanos);
        flushShared(connection);
    }

    /**
     * Doubles a connection's full input buffer, up to the size its frame announces (checked
     * against the limit first). A buffer grows only as fast as bytes arrive, so a client that
     * announces a large frame and stalls costs no more memory than it has sent.
     */
    private ByteBuffer grow(Connection connection) {
        ByteBuffer input = connection.input;
        ByteBuffer view = input.duplicate().flip();
        int frameSize = decoder.frameSize(view);
        int capacity = (int) Math.min(Math.max(frameSize, INITIAL_INPUT_BYTES), 2L * input.capacity());
        ByteBuffer larger = ByteBuffer.allocate(Math.max(capacity, input.capacity()));
        larger.put(view);
        connection.input = larger;
        return larger;
    }

    /** Runs every complete request in {@code input}, writing responses to the shared output; returns how many. */
    private int process(Connection connection, ByteBuffer input) throws IOException {
        sharedOutput.clear();
        int processed = 0;
        while (!connection.closeAfterFlush && !connection.hasPendingOutput()) {
            Request request;
            try {
                request = decoder.decodeRequest(input);
            } catch (ProtocolException e) {
                LOG.debug("closing {} after protocol violation: {}", connection, e.getMessage());
                respond(connection, Response.error(FrameDescriptor.ERROR_BAD_REQUEST, e.getMessage()));
                connection.closeAfterFlush = true;
                input.position(input.limit());
                break;
            }
            if (request == null) {
                break;
            }
            respond(connection, handler.handle(request));
            processed++;
        }
        return processed;
    }

    private void respond(Connection connection, Response response) throws IOException {
        int size = FrameEncoder.responseSize(response);
        if (sharedOutput.remaining() < size) {
            flushShared(connection);
            sharedOutput.clear();
        }
        if (connection.hasPendingOutput() || size > sharedOutput.capacity()) {
            appendPending(connection, ByteBuffer.wrap(FrameEncoder.encodeResponse(response)));
        } else {
            FrameEncoder.encodeResponse(response, sharedOutput);
        }
    }

    /** Writes the shared output; what the socket does not take is kept on the connection. */
    private void flushShared(Connection connection) throws IOException {
        sharedOutput.flip();
        if (sharedOutput.hasRemaining()) {
            if (!connection.hasPendingOutput()) {
                connection.channel.write(sharedOutput);
            }
            if (sharedOutput.hasRemaining()) {
                appendPending(connection, sharedOutput);
            }
        }
        sharedOutput.clear();
        afterWrite(connection);
    }

    private void appendPending(Connection connection, ByteBuffer bytes) {
        ByteBuffer pending = connection.output;
        if (pending == null) {
            pending = ByteBuffer.allocate(Math.max(INITIAL_INPUT_BYTES, bytes.remaining()));
            pending.flip();
        }
        if (pending.capacity() - pending.remaining() < bytes.remaining()) {
            ByteBuffer larger = ByteBuffer.allocate(Math.max(pending.capacity() * 2, pending.remaining() + bytes.remaining()));
            larger.put(pending).flip();
            pending = larger;
        }
        pending.compact();
        pending.put(bytes);
        pending.flip();
        connection.output = pending;
    }

    private void flushPending(Connection connection) throws IOException {
        if (connection.hasPendingOutput()) {
            connection.channel.write(connection.output);
        }
        afterWrite(connection);
        if (!connection.hasPendingOutput() && connection.input != null && connection.key.isValid()) {
            // Requests that waited for the output to drain.
            ByteBuffer input = connection.input;
            input.flip();
            long now = System.nanoTime();
            int processed = process(connection, input);
            keepLeftover(connection, input, processed > 0 ? now : connection.partialSinceNanos);
            flushShared(connection);
        }
    }

    /** Sets interest: only write while output is pending (no reading: back-pressure), else read; closes when done. */
    private void afterWrite(Connection connection) {
        if (connection.closed || !connection.key.isValid()) {
            return;
        }
        if (connection.hasPendingOutput()) {
            connection.key.interestOps(SelectionKey.OP_WRITE);
            return;
        }
        connection.output = null;
        if (connection.closeAfterFlush) {
            close(connection);
        } else {
            connection.key.interestOps(SelectionKey.OP_READ);
        }
    }

    /**
     * Keeps unprocessed input on the connection. {@code partialSince} is when the oldest
     * unfinished frame started arriving (now, if a frame completed in this round).
     */
    private void keepLeftover(Connection connection, ByteBuffer buffer, long partialSince) {
        if (!buffer.hasRemaining() || connection.closeAfterFlush || connection.closed) {
            connection.input = null;
            connection.partialSinceNanos = 0;
            return;
        }
        ByteBuffer kept = buffer;
        if (buffer == sharedInput) {
            kept = ByteBuffer.allocate(Math.max(INITIAL_INPUT_BYTES, buffer.remaining()));
            kept.put(buffer);
        } else {
            kept.compact();
        }
        connection.partialSinceNanos = partialSince != 0 ? partialSince : System.nanoTime();
        connection.input = kept;
    }

    private void closeTimedOut(long now) {
        long idleNanos = options.idleTimeout().toNanos();
        long frameNanos = options.frameTimeout().toNanos();
        for (SelectionKey key : selector.keys()) {
            Connection connection = (Connection) key.attachment();
            if (connection == null) {
                continue;
            }
            boolean partial = connection.partialSinceNanos != 0 && connection.input != null && !connection.hasPendingOutput();
            if (partial && now - connection.partialSinceNanos > frameNanos) {
                LOG.debug("closing {}: frame incomplete after {}", connection, options.frameTimeout());
                close(connection);
            } else if (now - connection.lastReadNanos > idleNanos) {
                LOG.debug("closing {}: idle for {}", connection, options.idleTimeout());
                close(connection);
            }
        }
    }

    private void close(Connection connection) {
        if (connection.closed) {
            return;
        }
        connection.closed = true;
        connection.key.cancel();
        closeChannel(connection.channel);
        connection.input = null;
        connection.output = null;
    }

    private void closeChannel(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("error closing a connection: {}", e.toString());
        } finally {
            openConnections.decrementAndGet();
        }
    }

    private void closeAll() {
        registerIncoming();
        for (SelectionKey key : selector.keys()) {
            Connection connection = (Connection) key.attachment();
            if (connection != null) {
                try {
                    if (connection.hasPendingOutput()) {
                        connection.channel.write(connection.output);
                    }
                } catch (IOException ignored) {
                    // Closing anyway.
                }
                close(connection);
            }
        }
        try {
            selector.close();
        } catch (IOException e) {
            LOG.debug("error closing selector: {}", e.toString());
        }
    }
}
