package io.kvs.net;

import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * The state of one client connection, owned by the {@link EventLoop} that serves it. An idle
 * connection holds no buffers: input is read into the loop's shared buffer and only a partial
 * frame is kept here; output is written from the loop's shared buffer and only what the socket
 * would not take is kept here.
 */
final class Connection {

    final SocketChannel channel;
    final SelectionKey key;
    final String peer;

    /** Unprocessed input (a partial frame, or frames waiting while output drains); null if none. Write mode. */
    ByteBuffer input;
    /** Output the socket has not taken yet; null if none. Read mode. */
    ByteBuffer output;
    /** Set after a protocol violation: close once the error response is flushed. */
    boolean closeAfterFlush;
    /** When the connection last received bytes. */
    long lastReadNanos;
    /** When the pending partial frame started to arrive; 0 if no partial frame. */
    long partialSinceNanos;
    /** Set once the connection is closed, so it is closed (and counted) once. */
    boolean closed;

    Connection(SocketChannel channel, SelectionKey key, String peer, long nowNanos) {
        this.channel = channel;
        this.key = key;
        this.peer = peer;
        this.lastReadNanos = nowNanos;
    }

    boolean hasPendingOutput() {
        return output != null && output.hasRemaining();
    }

    @Override
    public String toString() {
        return "Connection{" + peer + '}';
    }
}
