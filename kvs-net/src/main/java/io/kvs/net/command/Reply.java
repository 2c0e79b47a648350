package io.kvs.net.command;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The outcome of a {@link Command}, independent of the protocol that carries it: each codec
 * writes it in its own terms (RESP2 and RESP3 differ in nulls, maps and verbatim text; the kvs
 * protocol has OK, VALUE, NOT_FOUND and ERROR). Immutable.
 */
public sealed interface Reply permits Reply.Status, Reply.Error, Reply.Int, Reply.Bulk, Reply.Null, Reply.NullArray, Reply.Array,
        Reply.MapReply, Reply.SetReply, Reply.Verbatim {

    /** A short status line, such as {@code OK}, {@code PONG} or {@code QUEUED}. */
    record Status(String text) implements Reply {
    }

    /**
     * A failure: {@code code} is the RESP error prefix ({@code ERR}, {@code NOAUTH},
     * {@code WRONGPASS}, {@code EXECABORT} ...), {@code message} the rest of the line, and
     * {@code failure} what the kvs protocol reports it as.
     */
    record Error(Failure failure, String code, String message) implements Reply {

        /** The whole RESP error line: the code, a space, the message. */
        public String line() {
            return code + " " + message;
        }
    }

    /** An integer. */
    record Int(long value) implements Reply {
    }

    /** A binary-safe string. */
    record Bulk(byte[] bytes) implements Reply {

        /** The UTF-8 of {@code text}. */
        public static Bulk of(String text) {
            return new Bulk(text.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** No value: a missing key, an unset name. */
    record Null() implements Reply {
    }

    /** No array: an EXEC that a watched key aborted (RESP2 {@code *-1}, RESP3 null). */
    record NullArray() implements Reply {
    }

    /** An ordered list of replies. */
    record Array(List<Reply> items) implements Reply {
    }

    /** Pairs of key and value replies, in order: a RESP3 map, a flat array in RESP2. */
    record MapReply(List<Reply> keysAndValues) implements Reply {
    }

    /** Unordered distinct replies (COMMAND INFO's flags): a RESP3 set, an array in RESP2. */
    record SetReply(List<Reply> items) implements Reply {
    }

    /** Text for people (INFO): RESP3 sends it as a verbatim string of type {@code txt}, RESP2 as a bulk string. */
    record Verbatim(String text) implements Reply {
    }

    /** What a failure means to a client of the kvs protocol, and whether the connection stays open. */
    enum Failure {
        /** The request is malformed or not allowed (a syntax error, a wrong argument count). */
        REQUEST,
        /** A key or value is over its limit, or a string is not valid Unicode. */
        LIMIT,
        /** The engine failed to store or read; nothing was written. */
        STORAGE,
        /** Stored data failed validation. */
        CORRUPTION,
        /** The server is shutting down. */
        UNAVAILABLE,
        /** An unexpected failure in the server. */
        INTERNAL,
        /** The connection has not authenticated, or the credentials are wrong. */
        AUTH
    }

    Reply OK = new Status("OK");
    Reply NULL = new Null();
    Reply NULL_ARRAY = new NullArray();
    Reply ZERO = new Int(0);
    Reply ONE = new Int(1);

    /** An {@code ERR} error about the request. */
    static Error err(String message) {
        return new Error(Failure.REQUEST, "ERR", message);
    }

    /** An integer reply. */
    static Reply integer(long value) {
        return value == 0 ? ZERO : value == 1 ? ONE : new Int(value);
    }
}
