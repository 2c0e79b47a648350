package io.kvs.net;

import io.kvs.net.command.Auth;
import io.kvs.net.command.Command;
import io.kvs.net.command.Del;
import io.kvs.net.command.Get;
import io.kvs.net.command.NodeStatus;
import io.kvs.net.command.Ping;
import io.kvs.net.command.Reply;
import io.kvs.net.command.Rejected;
import io.kvs.net.command.Session;
import io.kvs.net.command.Set;
import io.kvs.net.protocol.FrameDecoder;
import io.kvs.net.protocol.FrameDescriptor;
import io.kvs.net.protocol.FrameEncoder;
import io.kvs.net.protocol.ProtocolException;
import io.kvs.net.protocol.Request;
import io.kvs.net.protocol.Response;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The kvs protocol ({@code docs/PROTOCOL.md}) as a {@link ProtocolCodec}: SET, GET, REMOVE and
 * PING frames become the commands SET, GET, DEL and PING, and their replies become OK, VALUE,
 * NOT_FOUND and ERROR frames. A reply means different frames for different requests (DEL's 0 is
 * REMOVE's NOT_FOUND), so each is encoded with the command it answers, whose type names the
 * opcode it was decoded from.
 */
final class KvsFrameCodec implements ProtocolCodec {

    /** The largest frame a connection may send before it has authenticated, as RESP's 16 KiB argument limit. */
    static final int UNAUTHENTICATED_MAX_FRAME_BYTES = FrameDescriptor.OPERANDS_OFFSET + 16 * 1024;

    private final FrameDecoder decoder;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    /** The last value found to be UTF-8, so that {@link #size} and {@link #encode} check it once. */
    private Reply checkedValue;

    KvsFrameCodec(FrameDecoder decoder) {
        this.decoder = decoder;
    }

    @Override
    public Command decode(ByteBuffer in, Session session) {
        if (!session.authenticated()) {
            int size = decoder.frameSize(in);
            if (size > UNAUTHENTICATED_MAX_FRAME_BYTES) {
                throw new ProtocolException("frame of " + size + " bytes before authentication (the limit until AUTH is "
                        + UNAUTHENTICATED_MAX_FRAME_BYTES + ")");
            }
        }
        Request request = decoder.decodeRequest(in);
        if (request == null) {
            return null;
        }
        return switch (request.opcode()) {
            case FrameDescriptor.OP_SET -> Set.plain(utf8(request.key()), utf8(request.value()));
            case FrameDescriptor.OP_GET -> new Get(utf8(request.key()));
            case FrameDescriptor.OP_REMOVE -> new Del(List.of(utf8(request.key())));
            case FrameDescriptor.OP_PING -> new Ping(null);
            case FrameDescriptor.OP_AUTH -> new Auth(null, utf8(request.key()));
            case FrameDescriptor.OP_STATUS -> new NodeStatus();
            default -> new Rejected(new Reply.Error(Reply.Failure.REQUEST, "ERR",
                    "unknown opcode " + FrameDescriptor.opName(request.opcode())), true);
        };
    }

    @Override
    public int bytesAtMost(ByteBuffer in) {
        // A frame's length field gives its exact size.
        return Math.max(decoder.frameSize(in), in.remaining() + 1);
    }

    @Override
    public int size(Command request, Reply reply, Session session) {
        if (isValue(request, reply)) {
            return FrameEncoder.valueResponseSize(((Reply.Bulk) reply).bytes().length);
        }
        return FrameEncoder.responseSize(response(request, reply));
    }

    @Override
    public void encode(Command request, Reply reply, Session session, ByteBuffer out) {
        if (isValue(request, reply)) {
            FrameEncoder.encodeValueResponse(((Reply.Bulk) reply).bytes(), out);
        } else {
            FrameEncoder.encodeResponse(response(request, reply), out);
        }
    }

    /**
     * True if {@code reply} is a GET's value that goes out as it is, bytes straight into a VALUE
     * frame (the common case: no string in between); false for one that is not UTF-8, which
     * {@link #response} turns into an error.
     */
    private boolean isValue(Command request, Reply reply) {
        if (!(request instanceof Get || request instanceof NodeStatus) || !(reply instanceof Reply.Bulk bulk)) {
            return false;
        }
        if (reply == checkedValue) {
            return true;
        }
        if (isUtf8(bulk.bytes())) {
            checkedValue = reply;
            return true;
        }
        return false;
    }

    private boolean isUtf8(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0) {
                return text(bytes) != null;
            }
        }
        return true;
    }

    @Override
    public Reply protocolError(ProtocolException violation) {
        return new Reply.Error(Reply.Failure.REQUEST, "ERR", violation.getMessage());
    }

    /** The response frame for {@code reply} to {@code request}. */
    private Response response(Command request, Reply reply) {
        if (reply instanceof Reply.Error error) {
            return Response.error(errorCode(error.failure()), error.message());
        }
        if (request instanceof Get) {
            if (reply instanceof Reply.Bulk bulk) {
                String value = text(bulk.bytes());
                return value != null ? Response.value(value) : Response.error(FrameDescriptor.ERROR_LIMIT_EXCEEDED,
                        "the value is not valid UTF-8 (it was written through RESP); read it with a RESP client");
            }
            return Response.notFound();
        }
        if (request instanceof Del) {
            return reply instanceof Reply.Int count && count.value() > 0 ? Response.ok() : Response.notFound();
        }
        return Response.ok();
    }

    private static byte errorCode(Reply.Failure failure) {
        return switch (failure) {
            case REQUEST -> FrameDescriptor.ERROR_BAD_REQUEST;
            case LIMIT -> FrameDescriptor.ERROR_LIMIT_EXCEEDED;
            case STORAGE -> FrameDescriptor.ERROR_STORAGE;
            case CORRUPTION -> FrameDescriptor.ERROR_CORRUPTION;
            case UNAVAILABLE -> FrameDescriptor.ERROR_UNAVAILABLE;
            case INTERNAL -> FrameDescriptor.ERROR_INTERNAL;
            case AUTH -> FrameDescriptor.ERROR_AUTH;
        };
    }

    /** {@code bytes} as a string if they are well-formed UTF-8, else null. */
    private String text(byte[] bytes) {
        try {
            CharBuffer chars = utf8.reset().decode(ByteBuffer.wrap(bytes));
            return chars.toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
