package io.kvs.raft;

import io.kvs.net.command.Reply;

import java.util.ArrayList;
import java.util.List;

/**
 * The replies to a {@link Batch}, one per proposal, as the applying node sends them back to the
 * node that submitted it. Encoding: the number of replies (int), then each reply as a kind byte
 * and its fields (docs/FORMAT.md, "Replicated mode").
 */
final class Replies {

    private static final int STATUS = 1;
    private static final int ERROR = 2;
    private static final int INT = 3;
    private static final int BULK = 4;
    private static final int NULL = 5;
    private static final int ARRAY = 6;
    private static final int MAP = 7;
    private static final int VERBATIM = 8;
    private static final int NULL_ARRAY = 10;
    private static final int SET = 9;
    /** Nesting deeper than this is refused (no reply kvs makes nests more than twice). */
    private static final int MAX_DEPTH = 16;

    private Replies() {
    }

    static byte[] encode(List<Reply> replies) {
        Wire.Writer out = new Wire.Writer().writeInt(replies.size());
        for (Reply reply : replies) {
            write(out, reply);
        }
        return out.toByteArray();
    }

    static List<Reply> decode(byte[] bytes) {
        Wire.Reader in = new Wire.Reader(bytes);
        int count = in.readCount(1);
        List<Reply> replies = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            replies.add(read(in, 0));
        }
        in.end();
        return replies;
    }

    private static void write(Wire.Writer out, Reply reply) {
        if (reply instanceof Reply.Status status) {
            out.writeByte(STATUS).writeText(status.text());
        } else if (reply instanceof Reply.Error error) {
            out.writeByte(ERROR).writeByte(error.failure().ordinal()).writeText(error.code()).writeText(error.message());
        } else if (reply instanceof Reply.Int number) {
            out.writeByte(INT).writeLong(number.value());
        } else if (reply instanceof Reply.Bulk bulk) {
            out.writeByte(BULK).writeBytes(bulk.bytes());
        } else if (reply instanceof Reply.Null) {
            out.writeByte(NULL);
        } else if (reply instanceof Reply.NullArray) {
            out.writeByte(NULL_ARRAY);
        } else if (reply instanceof Reply.Array array) {
            out.writeByte(ARRAY).writeInt(array.items().size());
            array.items().forEach(item -> write(out, item));
        } else if (reply instanceof Reply.MapReply map) {
            out.writeByte(MAP).writeInt(map.keysAndValues().size());
            map.keysAndValues().forEach(item -> write(out, item));
        } else if (reply instanceof Reply.SetReply set) {
            out.writeByte(SET).writeInt(set.items().size());
            set.items().forEach(item -> write(out, item));
        } else if (reply instanceof Reply.Verbatim verbatim) {
            out.writeByte(VERBATIM).writeText(verbatim.text());
        } else {
            throw new IllegalArgumentException("unknown reply " + reply);
        }
    }

    private static Reply read(Wire.Reader in, int depth) {
        if (depth > MAX_DEPTH) {
            throw new MalformedMessageException("reply nested deeper than " + MAX_DEPTH);
        }
        int kind = in.readByte();
        return switch (kind) {
            case STATUS -> new Reply.Status(in.readText());
            case ERROR -> {
                int failure = in.readByte();
                if (failure >= Reply.Failure.values().length) {
                    throw new MalformedMessageException("unknown failure " + failure);
                }
                yield new Reply.Error(Reply.Failure.values()[failure], in.readText(), in.readText());
            }
            case INT -> Reply.integer(in.readLong());
            case BULK -> new Reply.Bulk(in.readBytes());
            case NULL -> Reply.NULL;
            case NULL_ARRAY -> Reply.NULL_ARRAY;
            case ARRAY -> new Reply.Array(readItems(in, depth));
            case MAP -> new Reply.MapReply(readItems(in, depth));
            case VERBATIM -> new Reply.Verbatim(in.readText());
            case SET -> new Reply.SetReply(readItems(in, depth));
            default -> throw new MalformedMessageException("unknown reply kind " + kind);
        };
    }

    private static List<Reply> readItems(Wire.Reader in, int depth) {
        int count = in.readCount(1);
        List<Reply> items = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            items.add(read(in, depth + 1));
        }
        return items;
    }
}
