package io.kvs.net;

import io.kvs.net.command.Arguments;
import io.kvs.net.command.Command;
import io.kvs.net.command.CommandTable;
import io.kvs.net.command.Reply;
import io.kvs.net.command.Session;
import io.kvs.net.protocol.ProtocolException;
import io.kvs.net.resp.RespDecoder;
import io.kvs.net.resp.RespEncoder;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * Redis's protocol as a {@link ProtocolCodec}: requests are parsed by {@link CommandTable}
 * (unknown commands and bad arguments become error replies, not violations), replies are
 * written in the connection's RESP version (2 until HELLO 3).
 */
final class RespCodec implements ProtocolCodec {

    private final RespDecoder decoder;

    RespCodec(RespDecoder decoder) {
        this.decoder = decoder;
    }

    @Override
    public Command decode(ByteBuffer in, Session session) {
        while (true) {
            List<byte[]> arguments = decoder.decode(in, session.authenticated());
            if (arguments == null) {
                return null;
            }
            if (!arguments.isEmpty()) {
                Arguments args = new Arguments(arguments);
                Command command = CommandTable.parse(args);
                session.ran(args.name());
                return command;
            }
        }
    }

    @Override
    public int bytesAtMost(ByteBuffer in) {
        // The decoder is the loop's, shared by its connections: scan this request's headers again
        // (nothing is allocated for an incomplete request) rather than trust its last state.
        try {
            if (decoder.decode(in.duplicate(), true) != null) {
                return in.remaining() + 1;
            }
        } catch (ProtocolException e) {
            return in.remaining() + 1; // the next decode reports it
        }
        return Math.max(decoder.bytesAtMost(), in.remaining() + 1);
    }

    @Override
    public int size(Command request, Reply reply, Session session) {
        return RespEncoder.size(reply, session.protocol());
    }

    @Override
    public void encode(Command request, Reply reply, Session session, ByteBuffer out) {
        RespEncoder.encode(reply, session.protocol(), out);
    }

    @Override
    public Reply protocolError(ProtocolException violation) {
        return Reply.err(violation.getMessage());
    }
}
