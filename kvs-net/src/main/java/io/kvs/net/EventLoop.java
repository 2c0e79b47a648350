package io.kvs.net;

import io.kvs.net.command.Command;
import io.kvs.net.command.CommandRunner;
import io.kvs.net.command.DataCommand;
import io.kvs.net.command.Proposal;
import io.kvs.net.command.Reply;
import io.kvs.net.command.ServerContext;
import io.kvs.net.command.Session;
import io.kvs.net.protocol.FrameDecoder;
import io.kvs.net.protocol.ProtocolException;
import io.kvs.net.resp.RespDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One selector thread serving many connections. It only moves bytes and runs commands: each
 * connection's {@link ProtocolCodec} (kvs frames or RESP, picked by the first byte it sends)
 * turns the bytes that have arrived into commands, the {@link io.kvs.net.command.CommandRunner}
 * runs them in order, and the codec writes the replies back in the same order (pipelining). A
 * connection whose client does not read its responses stops being read until its output drains,
 * so memory per connection stays bounded; the input buffers of all connections together stay
 * within the server's {@link PartialFrameBudget}. A protocol violation, or a frame the budget
 * has no room for, gets an error response and then the connection is closed; nothing a client
 * sends can stop the loop.
 *
 * <p>A failure confined to one connection (an I/O error, a {@link RuntimeException} while
 * serving it) closes that connection and the loop carries on. Anything else (an {@link Error}
 * such as {@link OutOfMemoryError}, a broken selector) ends the loop: it closes its connections
 * and hands the cause to its failure callback, so a dead loop is never left silently holding
 * connections.
 */
final class EventLoop implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(EventLoop.class);
    /** Shared read and write buffers; larger frames get a buffer of their own. */
    private static final int SHARED_BUFFER_BYTES = 64 * 1024;
    /** A partial frame starts in a buffer this large (or exactly its announced size). */
    private static final int INITIAL_INPUT_BYTES = 4 * 1024;
    private static final long SWEEP_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    /** A connection refused after its error response is drained at most this long (and at most the frame timeout). */
    private static final long DRAIN_TIMEOUT_MAX_NANOS = TimeUnit.SECONDS.toNanos(5);
    /** The budget warning is logged at most this often per loop; every refusal is logged at debug level. */
    private static final long BUDGET_WARNING_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** A replicated server submits a connection's proposals at most this many at a time. */
    static final int MAX_BURST = 1024;

    private final Selector selector;
    private final ServerContext server;
    private final FrameDecoder frameDecoder;
    private final RespDecoder respDecoder;
    private final ServerOptions options;
    private final AtomicInteger openConnections;
    private final PartialFrameBudget budget;
    private final Consumer<Throwable> onFailure;
    private final long idleTimeoutNanos;
    private final long frameTimeoutNanos;
    private final long drainTimeoutNanos;
    private final long busyPollNanos;
    private final Queue<SocketChannel> incoming = new ConcurrentLinkedQueue<>();
    /** Bursts a replicated server has answered, for the loop to write out (any thread adds). */
    private final Queue<Answered> answered = new ConcurrentLinkedQueue<>();
    /**
     * On the heap: the decoders read requests a byte or an int at a time, which costs less in an
     * array than in native memory, and that outweighs the copy the JDK makes from its temporary
     * direct buffer on each read (see docs/BENCHMARKS.md, "RESP").
     */
    private final ByteBuffer sharedInput = ByteBuffer.allocate(SHARED_BUFFER_BYTES);
    /** Direct, so that socket writes need no copy through a temporary buffer. */
    private final ByteBuffer sharedOutput = ByteBuffer.allocateDirect(SHARED_BUFFER_BYTES);
    /** The most requests decoded ahead of running them, so that their reads can be prefetched together. */
    static final int LOOKAHEAD_REQUESTS = 16;
    private final Command[] lookahead = new Command[LOOKAHEAD_REQUESTS];
    private final int[] lookaheadStarts = new int[LOOKAHEAD_REQUESTS];
    private final List<byte[]> lookaheadKeys = new ArrayList<>(LOOKAHEAD_REQUESTS);
    private volatile boolean running = true;
    /** Set once the loop has closed its connections: connections handed over later are closed at once. */
    private volatile boolean stopped;
    private long lastSweepNanos = System.nanoTime();
    private long lastBudgetWarningNanos = System.nanoTime() - BUDGET_WARNING_INTERVAL_NANOS;

    /**
     * A loop serving the commands of {@code server}, counting its connections in
     * {@code openConnections} and their input buffers in {@code budget}; {@code onFailure} is
     * called on the loop's thread, once, if the loop stops on an unexpected error.
     */
    EventLoop(ServerContext server, ServerOptions options, AtomicInteger openConnections, PartialFrameBudget budget,
              Consumer<Throwable> onFailure) throws IOException {
        this.selector = Selector.open();
        this.server = server;
        this.frameDecoder = new FrameDecoder(options.maxFrameBytes());
        this.respDecoder = new RespDecoder(options.maxFrameBytes(), respRequestLimit(options.maxFrameBytes()));
        this.options = options;
        this.openConnections = openConnections;
        this.budget = budget;
        this.onFailure = onFailure;
        // ServerOptions bounds both timeouts far below the overflow of a long count of nanoseconds.
        this.idleTimeoutNanos = options.idleTimeout().toNanos();
        this.frameTimeoutNanos = options.frameTimeout().toNanos();
        this.drainTimeoutNanos = Math.min(frameTimeoutNanos, DRAIN_TIMEOUT_MAX_NANOS);
        this.busyPollNanos = options.busyPoll().toNanos();
    }

    /** Hands an accepted connection to this loop. Any thread. */
    void adopt(SocketChannel channel) {
        incoming.add(channel);
        if (stopped) {
            closeIncoming();
        } else {
            selector.wakeup();
        }
    }

    /** Asks the loop to finish the requests it has read, flush what it can and close everything. */
    void shutdown() {
        running = false;
        selector.wakeup();
    }

    @Override
    public void run() {
        Throwable failure = null;
        try {
            long pollUntilNanos = System.nanoTime();
            while (running) {
                // The consumer form hands over ready keys without building a selected-key set.
                int ready;
                if (busyPollNanos > 0 && System.nanoTime() - pollUntilNanos < 0) {
                    // Busy poll (ServerOptions.busyPoll): a request arriving now finds the loop awake.
                    ready = selector.selectNow(this::serve);
                } else {
                    ready = selector.select(this::serve, TimeUnit.NANOSECONDS.toMillis(SWEEP_INTERVAL_NANOS));
                }
                if (ready > 0) {
                    pollUntilNanos = System.nanoTime() + busyPollNanos;
                }
                registerIncoming();
                writeAnswered();
                long now = System.nanoTime();
                if (now - lastSweepNanos >= SWEEP_INTERVAL_NANOS) {
                    closeTimedOut(now);
                    lastSweepNanos = now;
                }
            }
        } catch (Throwable e) {
            // Not a single connection's failure (serve handles those): this loop cannot go on.
            failure = e;
        } finally {
            try {
                closeAll();
            } catch (Throwable e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
            stopped = true;
            closeIncoming();
        }
        if (failure != null) {
            onFailure.accept(failure);
        }
    }

    private void registerIncoming() {
        SocketChannel channel;
        while ((channel = incoming.poll()) != null) {
            try {
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                SelectionKey key = channel.register(selector, SelectionKey.OP_READ);
                String peer = SocketAddresses.format((InetSocketAddress) channel.getRemoteAddress());
                Session session = server.open(peer, SocketAddresses.format((InetSocketAddress) channel.getLocalAddress()));
                key.attach(new Connection(channel, key, peer, session, System.nanoTime()));
            } catch (IOException | RuntimeException e) {
                LOG.debug("dropping connection that failed to register: {}", e.toString());
                closeChannel(channel);
            }
        }
    }

    private void closeIncoming() {
        SocketChannel channel;
        while ((channel = incoming.poll()) != null) {
            closeChannel(channel);
        }
    }

    private void serve(SelectionKey key) {
        Connection connection = (Connection) key.attachment();
        serving(connection, () -> {
            if (key.isWritable()) {
                flushPending(connection);
            }
            if (key.isValid() && key.isReadable()) {
                read(connection);
            }
        });
    }

    /** Work on one connection's I/O. */
    @FunctionalInterface
    private interface ConnectionWork {
        void run() throws IOException;
    }

    /** Runs {@code work}; a failure confined to the connection closes it, and the loop carries on. */
    private void serving(Connection connection, ConnectionWork work) {
        try {
            work.run();
        } catch (IOException | CancelledKeyException e) {
            close(connection);
        } catch (RuntimeException e) {
            LOG.error("closing {} after an unexpected failure", connection, e);
            close(connection);
        }
    }

    /** Runs the requests a connection kept while it waited (for its output to drain, or for a burst's replies). */
    private void processWaitingInput(Connection connection) throws IOException {
        if (connection.awaiting || connection.hasPendingOutput() || connection.input == null || !connection.key.isValid()) {
            return;
        }
        ByteBuffer input = connection.input;
        input.flip();
        long now = System.nanoTime();
        int processed = process(connection, input);
        keepLeftover(connection, input, processed > 0 ? now : connection.partialSinceNanos);
        flushShared(connection);
    }

    private void read(Connection connection) throws IOException {
        if (connection.draining) {
            drain(connection);
            return;
        }
        ByteBuffer buffer;
        if (connection.input != null) {
            buffer = connection.input;
            if (!buffer.hasRemaining()) {
                buffer = grow(connection);
                if (buffer == null) {
                    refuseOverBudget(connection);
                    flushShared(connection);
                    return;
                }
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
        connection.session.active(System.currentTimeMillis());
        buffer.flip();
        int processed = process(connection, buffer);
        keepLeftover(connection, buffer, processed > 0 ? now : connection.partialSinceNanos);
        flushShared(connection);
    }

    /**
     * Doubles a connection's full input buffer, up to the most its request can take (its exact
     * size once the headers tell it, checked against the limit first). A buffer grows only as
     * fast as bytes arrive, so a client that announces a large frame and stalls costs no more
     * memory than twice what it has sent; and it always doubles, so a request that arrives in
     * pieces is copied a logarithmic number of times, not once per piece. Returns null, leaving
     * the buffer as it was, if the budget has no room for the larger buffer.
     */
    private ByteBuffer grow(Connection connection) {
        ByteBuffer input = connection.input;
        ByteBuffer view = input.duplicate().flip();
        int atMost = connection.codec.bytesAtMost(view);
        int capacity = (int) Math.min(Math.max(atMost, INITIAL_INPUT_BYTES), 2L * input.capacity());
        ByteBuffer larger = budget.allocate(Math.max(capacity, input.capacity()));
        if (larger == null) {
            return null;
        }
        larger.put(view);
        setInput(connection, larger);
        return larger;
    }

    /** Replaces a connection's input buffer (null: none), giving back the old buffer's reservation. */
    private void setInput(Connection connection, ByteBuffer buffer) {
        budget.release(connection.inputReservedBytes);
        connection.input = buffer;
        connection.inputReservedBytes = buffer == null ? 0 : buffer.capacity();
    }

    /**
     * Answers a connection whose input the budget has no room for with ERROR UNAVAILABLE, after
     * the responses already written, and drops its input; the caller flushes, then the
     * connection is drained and closed.
     */
    private void refuseOverBudget(Connection connection) throws IOException {
        long now = System.nanoTime();
        if (now - lastBudgetWarningNanos >= BUDGET_WARNING_INTERVAL_NANOS) {
            LOG.warn("refusing {}: the partial-frame budget of {} bytes is in use (further refusals are logged at debug level)",
                    connection, budget.limitBytes());
            lastBudgetWarningNanos = now;
        } else {
            LOG.debug("refusing {}: the partial-frame budget of {} bytes is in use", connection, budget.limitBytes());
        }
        setInput(connection, null);
        connection.partialSinceNanos = 0;
        respond(connection, null, new Reply.Error(Reply.Failure.UNAVAILABLE, "ERR", "the server has no room for this frame: its "
                + budget.limitBytes() + "-byte budget for partial frames is in use; try again later"));
        connection.closeAfterFlush = true;
    }

    /**
     * Runs every complete request in {@code input}, writing responses to the shared output; returns how many.
     * Requests are decoded up to {@link #LOOKAHEAD_REQUESTS} ahead and the keys they read are
     * prefetched together ({@link CommandRunner#prefetch}); they still run one by one, in order.
     * Decoding ahead stops after a request that is not a data command (it may change how the
     * next one decodes: RESET, AUTH, HELLO) and on an unauthenticated connection; requests decoded
     * but not run, because the connection must stop, are left in {@code input} to decode again.
     */
    private int process(Connection connection, ByteBuffer input) throws IOException {
        sharedOutput.clear();
        int processed = 0;
        batches:
        while (mayRun(connection) && input.hasRemaining()) {
            if (connection.codec == null) {
                connection.codec = ProtocolCodec.isKvsFrame(input.get(input.position()))
                        ? new KvsFrameCodec(frameDecoder) : new RespCodec(respDecoder);
            }
            int decoded;
            try {
                decoded = decodeAhead(connection, input);
            } catch (ProtocolException e) {
                LOG.debug("closing {} after protocol violation: {}", connection, e.getMessage());
                respond(connection, null, connection.codec.protocolError(e));
                connection.closeAfterFlush = true;
                input.position(input.limit());
                break;
            }
            if (decoded == 0) {
                break;
            }
            prefetch(connection, decoded);
            try {
                for (int i = 0; i < decoded; i++) {
                    if (!mayRun(connection)) {
                        input.position(lookaheadStarts[i]);
                        break batches;
                    }
                    processed++;
                    runOrPropose(connection, lookahead[i]);
                    if (connection.session.closeRequested()) {
                        connection.closeAfterFlush = true;
                        input.position(input.limit());
                        break batches;
                    }
                }
            } finally {
                Arrays.fill(lookahead, 0, decoded, null);
            }
        }
        if (connection.burst != null && !connection.awaiting) {
            submitBurst(connection);
        }
        return processed;
    }

    /** True while {@code connection}'s next request may run now. */
    private static boolean mayRun(Connection connection) {
        return !connection.closeAfterFlush && !connection.hasPendingOutput() && !connection.awaiting;
    }

    /**
     * Decodes up to {@link #LOOKAHEAD_REQUESTS} complete requests into {@link #lookahead};
     * returns how many. A violation after the first request is left in {@code input}, to be
     * reported once the requests before it have run.
     *
     * @throws ProtocolException if the first request violates the protocol
     */
    private int decodeAhead(Connection connection, ByteBuffer input) {
        Session session = connection.session;
        int decoded = 0;
        while (decoded < LOOKAHEAD_REQUESTS && input.hasRemaining()) {
            int start = input.position();
            Command command;
            try {
                command = connection.codec.decode(input, session);
            } catch (ProtocolException e) {
                if (decoded == 0) {
                    throw e;
                }
                input.position(start);
                break;
            }
            if (command == null) {
                break;
            }
            lookaheadStarts[decoded] = start;
            lookahead[decoded++] = command;
            if (!(command instanceof DataCommand) || !session.authenticated()) {
                break;
            }
        }
        return decoded;
    }

    /** Hands the keys the decoded requests will read to the runner's prefetch. */
    private void prefetch(Connection connection, int decoded) {
        if (decoded < 2) {
            return;
        }
        lookaheadKeys.clear();
        for (int i = 0; i < decoded; i++) {
            if (lookahead[i] instanceof DataCommand data) {
                data.addKeysRead(lookaheadKeys);
            }
        }
        server.runner().prefetch(connection.session, lookaheadKeys);
        lookaheadKeys.clear();
    }

    /**
     * Runs {@code command} now, or, in a replicated server, adds it to the connection's burst of
     * proposals. A command that must run now while a burst is pending is held until the burst is
     * answered, so replies and their effects keep the order of the requests.
     */
    private void runOrPropose(Connection connection, Command command) throws IOException {
        CommandRunner runner = server.runner();
        if (runner.defers(connection.session, command)) {
            Map<Integer, Reply> local = command instanceof DataCommand ? Map.of() : new HashMap<>();
            connection.propose(command, runner.propose(connection.session, command, local), local);
            if (connection.burst.size() >= MAX_BURST) {
                submitBurst(connection);
            }
        } else if (connection.burst != null) {
            connection.held = command;
            submitBurst(connection);
        } else {
            respond(connection, command, runner.execute(connection.session, command));
        }
    }

    /** Submits the connection's burst; the connection waits, unread, until {@link #writeAnswered}. */
    private void submitBurst(Connection connection) {
        List<Proposal> proposals = connection.burst;
        List<Map<Integer, Reply>> local = connection.burstLocal;
        List<Command> requests = connection.burstRequests;
        connection.burst = null;
        connection.burstLocal = null;
        connection.burstRequests = null;
        connection.awaiting = true;
        CompletableFuture<List<Reply>> replies;
        try {
            replies = server.replication().submit(proposals);
        } catch (RuntimeException e) {
            replies = CompletableFuture.failedFuture(e);
        }
        replies.whenComplete((answer, failure) -> {
            answered.add(new Answered(connection, requests, answer, failure, local));
            selector.wakeup();
        });
    }

    /** The replies to a connection's submitted burst (to {@code requests}, in order), or why it failed. */
    private record Answered(Connection connection, List<Command> requests, List<Reply> replies, Throwable failure,
                            List<Map<Integer, Reply>> local) {

        int count() {
            return requests.size();
        }

        Reply reply(int i) {
            if (failure == null && replies != null && replies.size() == count()) {
                return replies.get(i);
            }
            return new Reply.Error(Reply.Failure.UNAVAILABLE, "ERR", "replication failed: "
                    + (failure != null ? failure.getMessage() : "wrong number of replies"));
        }
    }

    /** Writes the replies of answered bursts, then runs each connection's held command and the input that waited. */
    private void writeAnswered() {
        Answered done;
        while ((done = answered.poll()) != null) {
            Answered answer = done;
            Connection connection = answer.connection();
            if (!connection.closed) {
                serving(connection, () -> writeAnswer(connection, answer));
            }
        }
    }

    private void writeAnswer(Connection connection, Answered done) throws IOException {
        connection.awaiting = false;
        sharedOutput.clear();
        for (int i = 0; i < done.count(); i++) {
            respond(connection, done.requests().get(i), server.runner().merge(done.reply(i), done.local().get(i)));
        }
        Command held = connection.held;
        connection.held = null;
        if (held != null) {
            runOrPropose(connection, held);
            if (connection.session.closeRequested()) {
                connection.closeAfterFlush = true;
                setInput(connection, null);
            }
        }
        if (connection.burst != null && !connection.awaiting) {
            submitBurst(connection);
        }
        flushShared(connection);
        // Requests that waited for the burst's replies.
        processWaitingInput(connection);
    }

    /** Writes {@code reply} to {@code request} (null: to no decoded request) after the connection's earlier output. */
    private void respond(Connection connection, Command request, Reply reply) throws IOException {
        ProtocolCodec codec = connection.codec != null ? connection.codec : new KvsFrameCodec(frameDecoder);
        Session session = connection.session;
        int size = codec.size(request, reply, session);
        if (sharedOutput.remaining() < size) {
            flushShared(connection);
            sharedOutput.clear();
        }
        if (connection.hasPendingOutput() || size > sharedOutput.capacity()) {
            ByteBuffer bytes = ByteBuffer.allocate(size);
            codec.encode(request, reply, session, bytes);
            appendPending(connection, bytes.flip());
        } else {
            codec.encode(request, reply, session, sharedOutput);
        }
    }

    /** The largest RESP request: the largest frame, plus room for RESP's longer headers. */
    private static int respRequestLimit(int maxFrameBytes) {
        return (int) Math.min(Integer.MAX_VALUE, (long) maxFrameBytes + 1024);
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
        // Requests that waited for the output to drain.
        processWaitingInput(connection);
    }

    /**
     * Sets interest: only write while output is pending (no reading: back-pressure), else read;
     * once a connection to be closed has flushed its error response, starts draining it.
     */
    private void afterWrite(Connection connection) {
        if (connection.closed || !connection.key.isValid()) {
            return;
        }
        if (connection.hasPendingOutput()) {
            connection.key.interestOps(SelectionKey.OP_WRITE);
            return;
        }
        connection.output = null;
        if (connection.awaiting) {
            // Not read until its burst is answered: back-pressure, as for pending output.
            connection.key.interestOps(0);
        } else if (connection.closeAfterFlush) {
            startDraining(connection);
        } else {
            connection.key.interestOps(SelectionKey.OP_READ);
        }
    }

    /**
     * Shuts down output (the client reads the error response, then end of stream) and from now
     * on reads only to throw the input away, until the client closes, the drain timeout passes,
     * or a frame's worth of bytes has been thrown away.
     */
    private void startDraining(Connection connection) {
        if (connection.draining) {
            return;
        }
        setInput(connection, null);
        connection.partialSinceNanos = 0;
        try {
            connection.channel.shutdownOutput();
        } catch (IOException e) {
            close(connection);
            return;
        }
        connection.draining = true;
        connection.drainUntilNanos = System.nanoTime() + drainTimeoutNanos;
        connection.key.interestOps(SelectionKey.OP_READ);
    }

    private void drain(Connection connection) throws IOException {
        sharedInput.clear();
        int read = connection.channel.read(sharedInput);
        if (read < 0) {
            close(connection);
            return;
        }
        connection.drainedBytes += read;
        if (connection.drainedBytes > options.maxFrameBytes()) {
            close(connection);
        }
    }

    /**
     * Keeps unprocessed input on the connection. {@code partialSince} is when the oldest
     * unfinished frame started arriving (now, if a frame completed in this round). If the budget
     * has no room for it, the connection is refused instead.
     */
    private void keepLeftover(Connection connection, ByteBuffer buffer, long partialSince) throws IOException {
        if (!buffer.hasRemaining() || connection.closeAfterFlush || connection.closed) {
            setInput(connection, null);
            connection.partialSinceNanos = 0;
            return;
        }
        ByteBuffer kept = buffer;
        if (buffer == sharedInput) {
            kept = budget.allocate(Math.max(INITIAL_INPUT_BYTES, buffer.remaining()));
            if (kept == null) {
                refuseOverBudget(connection);
                return;
            }
            kept.put(buffer);
            setInput(connection, kept);
        } else {
            kept.compact();
        }
        connection.partialSinceNanos = partialSince != 0 ? partialSince : System.nanoTime();
    }

    private void closeTimedOut(long now) {
        for (SelectionKey key : selector.keys()) {
            Connection connection = (Connection) key.attachment();
            if (connection == null) {
                continue;
            }
            if (connection.draining) {
                if (now - connection.drainUntilNanos > 0) {
                    close(connection);
                }
                continue;
            }
            if (connection.session.killed()) {
                LOG.debug("closing {}: killed by CLIENT KILL", connection);
                close(connection);
                continue;
            }
            boolean partial = connection.partialSinceNanos != 0 && connection.input != null && !connection.hasPendingOutput();
            if (partial && now - connection.partialSinceNanos > frameTimeoutNanos) {
                LOG.debug("closing {}: frame incomplete after {}", connection, options.frameTimeout());
                close(connection);
            } else if (now - connection.lastReadNanos > idleTimeoutNanos) {
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
        server.closed(connection.session);
        connection.key.cancel();
        closeChannel(connection.channel);
        setInput(connection, null);
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
