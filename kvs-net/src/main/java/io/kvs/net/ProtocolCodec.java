package io.kvs.net;

import io.kvs.net.command.Command;
import io.kvs.net.command.Reply;
import io.kvs.net.command.Session;
import io.kvs.net.protocol.ProtocolException;

import java.nio.ByteBuffer;

/**
 * One connection's protocol: turns the bytes it receives into {@link Command}s and the
 * {@link Reply}s to them into bytes. The first byte a connection sends picks its codec
 * ({@link #forFirstByte}): a kvs frame starts with the high byte of its length, 0x00 or 0x01
 * within the frame limit; anything else is RESP. A reply is encoded with the request it answers
 * (one protocol's reply to a command depends on the command: the kvs protocol's REMOVE turns
 * DEL's 0 into NOT_FOUND), since requests may be decoded ahead of the replies to earlier ones.
 * One instance per connection; confined to the connection's event loop.
 */
interface ProtocolCodec {

    /**
     * The next command in {@code in}, moving past it, or null (position unchanged) if it has not
     * all arrived.
     *
     * @throws ProtocolException if the bytes break the protocol: answer {@link #protocolError}, then close
     */
    Command decode(ByteBuffer in, Session session);

    /**
     * The most bytes the request at the position of {@code in}, which has not all arrived, can
     * take in all (its exact size once its headers tell it; else a bound from the limits), for
     * growing the buffer it arrives in. More than {@code in.remaining()}.
     */
    int bytesAtMost(ByteBuffer in);

    /**
     * The bytes {@code reply} to {@code request} takes on the wire; {@code request} is null for a
     * reply that answers no decoded request (a protocol violation, a refusal).
     */
    int size(Command request, Reply reply, Session session);

    /** Writes {@code reply} to {@code request} (as for {@link #size}); {@code out} has {@link #size} bytes free. */
    void encode(Command request, Reply reply, Session session, ByteBuffer out);

    /** The reply to a protocol violation; the connection is closed after it. */
    Reply protocolError(ProtocolException violation);

    /** True if a connection whose first byte is {@code first} speaks the kvs protocol. */
    static boolean isKvsFrame(byte first) {
        return first == 0x00 || first == 0x01;
    }
}
