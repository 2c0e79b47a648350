package io.kvs.net;

import io.kvs.net.command.Command;
import io.kvs.net.command.Proposal;
import io.kvs.net.command.Reply;
import io.kvs.net.command.Session;

import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The state of one client connection, owned by the {@link EventLoop} that serves it. An idle
 * connection holds no buffers: input is read into the loop's shared buffer and only a partial
 * frame is kept here (its capacity reserved in the server's {@link PartialFrameBudget}); output
 * is written from the loop's shared buffer and only what the socket would not take is kept here.
 */
final class Connection {

    final SocketChannel channel;
    final SelectionKey key;
    final String peer;
    /** What the commands see of this connection. */
    final Session session;
    /** The connection's protocol, picked by the first byte it sends; null until then. */
    ProtocolCodec codec;

    /** Unprocessed input (a partial frame, or frames waiting while output drains); null if none. Write mode. */
    ByteBuffer input;
    /** Bytes of the partial-frame budget reserved for {@link #input}: its capacity, or 0. */
    long inputReservedBytes;
    /** Output the socket has not taken yet; null if none. Read mode. */
    ByteBuffer output;
    /** Set after a protocol violation or a refusal: stop serving once the error response is flushed. */
    boolean closeAfterFlush;
    /**
     * Set once the error response is flushed and output shut down: input is read and thrown away
     * until the client closes or {@link #drainUntilNanos}, so the client reads the error before
     * the connection closes (closing with unread input would reset it and lose the error).
     */
    boolean draining;
    /** When a draining connection is closed even if its client keeps sending. */
    long drainUntilNanos;
    /** Bytes thrown away while draining. */
    long drainedBytes;
    /** When the connection last received bytes. */
    long lastReadNanos;
    /** When the pending partial frame started to arrive; 0 if no partial frame. */
    long partialSinceNanos;
    /** Set once the connection is closed, so it is closed (and counted) once. */
    boolean closed;
    /** A replicated server's proposals decoded but not yet submitted; null if none. */
    List<Proposal> burst;
    /** For each proposal of {@link #burst}: the replies an EXEC's non-data commands got at once (see CommandRunner.propose). */
    List<Map<Integer, Reply>> burstLocal;
    /** For each proposal of {@link #burst}: the request it answers. */
    List<Command> burstRequests;
    /** Set while a submitted burst is unanswered: the connection is neither read nor served meanwhile. */
    boolean awaiting;
    /** A command decoded after a burst, run once the burst's replies are written; null if none. */
    Command held;

    Connection(SocketChannel channel, SelectionKey key, String peer, Session session, long nowNanos) {
        this.channel = channel;
        this.key = key;
        this.peer = peer;
        this.session = session;
        this.lastReadNanos = nowNanos;
    }

    /** Adds the proposal for {@code request}, with the replies its EXEC's other commands got at once, to the burst. */
    void propose(Command request, Proposal proposal, Map<Integer, Reply> local) {
        if (burst == null) {
            burst = new ArrayList<>();
            burstLocal = new ArrayList<>();
            burstRequests = new ArrayList<>();
        }
        burst.add(proposal);
        burstLocal.add(local);
        burstRequests.add(request);
    }

    boolean hasPendingOutput() {
        return output != null && output.hasRemaining();
    }

    @Override
    public String toString() {
        return "Connection{" + peer + '}';
    }
}
