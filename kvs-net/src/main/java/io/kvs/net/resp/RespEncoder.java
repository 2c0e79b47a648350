package io.kvs.net.resp;

import io.kvs.net.command.Reply;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Writes {@link Reply}s as RESP2 or RESP3. In RESP2 a null is {@code $-1}, a map a flat array,
 * a verbatim text a bulk string; RESP3 has types of its own for each. An error's
 * line breaks become spaces, so no text can break the framing. Stateless.
 */
public final class RespEncoder {

    private static final byte[] CRLF = {'\r', '\n'};

    private RespEncoder() {
    }

    /** The bytes {@code reply} takes in protocol {@code version} (2 or 3). */
    public static int size(Reply reply, int version) {
        if (reply instanceof Reply.Status status) {
            return 1 + status.text().length() + 2;
        } else if (reply instanceof Reply.Error error) {
            return 1 + line(error).length + 2;
        } else if (reply instanceof Reply.Int integer) {
            return 1 + digits(integer.value()) + 2;
        } else if (reply instanceof Reply.Bulk bulk) {
            return bulkSize(bulk.bytes().length);
        } else if (reply instanceof Reply.Null || reply instanceof Reply.NullArray) {
            return version == 3 ? 3 : 5;
        } else if (reply instanceof Reply.Array array) {
            int size = 1 + digits(array.items().size()) + 2;
            for (Reply item : array.items()) {
                size += size(item, version);
            }
            return size;
        } else if (reply instanceof Reply.SetReply set) {
            int size = 1 + digits(set.items().size()) + 2;
            for (Reply item : set.items()) {
                size += size(item, version);
            }
            return size;
        } else if (reply instanceof Reply.MapReply map) {
            int count = version == 3 ? map.keysAndValues().size() / 2 : map.keysAndValues().size();
            int size = 1 + digits(count) + 2;
            for (Reply item : map.keysAndValues()) {
                size += size(item, version);
            }
            return size;
        } else {
            int length = ((Reply.Verbatim) reply).text().getBytes(StandardCharsets.UTF_8).length;
            return version == 3 ? bulkSize(length + 4) : bulkSize(length);
        }
    }

    /** Writes {@code reply} in protocol {@code version}; {@code out} has {@link #size} bytes free. */
    public static void encode(Reply reply, int version, ByteBuffer out) {
        if (reply instanceof Reply.Status status) {
            out.put((byte) '+');
            putAscii(out, status.text());
            out.put(CRLF);
        } else if (reply instanceof Reply.Error error) {
            out.put((byte) '-');
            out.put(line(error));
            out.put(CRLF);
        } else if (reply instanceof Reply.Int integer) {
            out.put((byte) ':');
            putAscii(out, Long.toString(integer.value()));
            out.put(CRLF);
        } else if (reply instanceof Reply.Bulk bulk) {
            putBulk(out, (byte) '$', bulk.bytes(), null);
        } else if (reply instanceof Reply.Null) {
            putAscii(out, version == 3 ? "_\r\n" : "$-1\r\n");
        } else if (reply instanceof Reply.NullArray) {
            putAscii(out, version == 3 ? "_\r\n" : "*-1\r\n");
        } else if (reply instanceof Reply.Array array) {
            putHeader(out, '*', array.items().size());
            for (Reply item : array.items()) {
                encode(item, version, out);
            }
        } else if (reply instanceof Reply.SetReply set) {
            putHeader(out, version == 3 ? '~' : '*', set.items().size());
            for (Reply item : set.items()) {
                encode(item, version, out);
            }
        } else if (reply instanceof Reply.MapReply map) {
            putHeader(out, version == 3 ? '%' : '*', version == 3 ? map.keysAndValues().size() / 2 : map.keysAndValues().size());
            for (Reply item : map.keysAndValues()) {
                encode(item, version, out);
            }
        } else {
            byte[] bytes = ((Reply.Verbatim) reply).text().getBytes(StandardCharsets.UTF_8);
            putBulk(out, version == 3 ? (byte) '=' : (byte) '$', bytes, version == 3 ? "txt:" : null);
        }
    }

    /** {@code reply} as bytes. */
    public static byte[] encode(Reply reply, int version) {
        ByteBuffer out = ByteBuffer.allocate(size(reply, version));
        encode(reply, version, out);
        return out.array();
    }

    /** The error's line as Redis sends one: line breaks at its end removed, those inside turned into spaces. */
    private static byte[] line(Reply.Error error) {
        String line = error.line();
        int end = line.length();
        while (end > 0 && (line.charAt(end - 1) == '\r' || line.charAt(end - 1) == '\n')) {
            end--;
        }
        return line.substring(0, end).replace('\r', ' ').replace('\n', ' ').getBytes(StandardCharsets.UTF_8);
    }

    private static int bulkSize(int length) {
        return 1 + digits(length) + 2 + length + 2;
    }

    private static void putBulk(ByteBuffer out, byte type, byte[] bytes, String prefix) {
        int length = bytes.length + (prefix == null ? 0 : prefix.length());
        out.put(type);
        putDecimal(out, length);
        out.put(CRLF);
        if (prefix != null) {
            putAscii(out, prefix);
        }
        out.put(bytes);
        out.put(CRLF);
    }

    private static void putHeader(ByteBuffer out, char type, int count) {
        out.put((byte) type);
        putDecimal(out, count);
        out.put(CRLF);
    }

    /** Writes a non-negative {@code value} in decimal, without a String in between (every bulk reply has one). */
    private static void putDecimal(ByteBuffer out, int value) {
        int digits = digits(value);
        int at = out.position() + digits;
        for (int i = 1; i <= digits; i++) {
            out.put(at - i, (byte) ('0' + value % 10));
            value /= 10;
        }
        out.position(at);
    }

    private static void putAscii(ByteBuffer out, String text) {
        for (int i = 0; i < text.length(); i++) {
            out.put((byte) text.charAt(i));
        }
    }

    private static int digits(long value) {
        if (value < 0) {
            return value == Long.MIN_VALUE ? 20 : 1 + digits(-value);
        }
        int digits = 1;
        while (value >= 10) {
            value /= 10;
            digits++;
        }
        return digits;
    }
}
