package io.kvs.net.resp;

import io.kvs.net.protocol.ProtocolException;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Decodes RESP requests from a buffer, one at a time: an array of bulk strings
 * ({@code *2\r\n$3\r\nGET\r\n$1\r\nk\r\n}) or an inline line ({@code PING\r\n}). It first checks
 * that the whole request is there without allocating anything for it (an incomplete request is
 * a normal outcome: null, buffer untouched), checking every count and length against the limits
 * as it goes, then builds the arguments. Every violation is a {@link ProtocolException} with
 * Redis's message ({@code Protocol error: invalid bulk length}); the server answers it and
 * closes the connection.
 *
 * <p>Before a connection has authenticated, the limits are Redis's tighter ones: at most
 * {@value #UNAUTHENTICATED_MAX_ARGUMENTS} arguments of at most
 * {@value #UNAUTHENTICATED_MAX_BULK_BYTES} bytes. Not thread-safe: one per connection or loop.
 */
public final class RespDecoder {

    /** Longest inline request, or count or length line, as in Redis (64 KiB). */
    public static final int MAX_LINE_BYTES = 64 * 1024;
    /** Most arguments of a request before authentication. */
    public static final int UNAUTHENTICATED_MAX_ARGUMENTS = 10;
    /** Longest argument before authentication. */
    public static final int UNAUTHENTICATED_MAX_BULK_BYTES = 16 * 1024;

    private final int maxBulkBytes;
    private final int maxRequestBytes;
    /** The most an array request whose size its headers do not tell yet can take: see {@link #bytesAtMost}. */
    private final int maxArrayBytes;
    /** The most bytes the request at the buffer's position can take, as far as its headers tell; see {@link #bytesAtMost}. */
    private int atMost;
    /** Where each argument of the request being decoded starts, and its length. */
    private int[] starts = new int[16];
    private int[] lengths = new int[16];

    /**
     * A decoder taking arguments of up to {@code maxBulkBytes} and requests of up to
     * {@code maxRequestBytes} in all (headers included).
     */
    public RespDecoder(int maxBulkBytes, int maxRequestBytes) {
        this.maxBulkBytes = maxBulkBytes;
        this.maxRequestBytes = maxRequestBytes;
        // Within the limit, plus a header line still arriving that will take it over the limit.
        this.maxArrayBytes = (int) Math.min(Integer.MAX_VALUE, (long) maxRequestBytes + MAX_LINE_BYTES + 2);
    }

    /**
     * The most bytes the request at the position of the buffer last passed to {@link #decode}
     * (which returned null) can take in all, with its terminator or the bytes that show it
     * breaks a limit: exactly its size once the last argument's header has arrived, else what
     * the limits allow (an inline line, or a request of the largest size). Always more than was
     * there. For growing the buffer the request arrives in.
     */
    public int bytesAtMost() {
        return atMost;
    }

    /**
     * Decodes the request at the buffer's position and moves past it. Returns its arguments
     * (empty for a request Redis ignores: {@code *0}, an empty line), or null (position
     * unchanged) if it is not all there yet.
     *
     * @throws ProtocolException if the bytes break the protocol or a limit
     */
    public List<byte[]> decode(ByteBuffer in, boolean authenticated) {
        if (!in.hasRemaining()) {
            atMost = maxArrayBytes;
            return null;
        }
        return in.get(in.position()) == '*' ? decodeArray(in, authenticated) : decodeInline(in);
    }

    private List<byte[]> decodeArray(ByteBuffer in, boolean authenticated) {
        int start = in.position();
        int limit = in.limit();
        int lineEnd = findCr(in, start + 1, "Protocol error: too big mbulk count string");
        if (lineEnd < 0 || lineEnd + 1 >= limit) {
            atMost = maxArrayBytes;
            return null;
        }
        long count = parseLength(in, start + 1, lineEnd, "Protocol error: invalid multibulk length");
        if (count > Integer.MAX_VALUE) {
            throw new ProtocolException("Protocol error: invalid multibulk length");
        }
        if (!authenticated && count > UNAUTHENTICATED_MAX_ARGUMENTS) {
            throw new ProtocolException("Protocol error: unauthenticated multibulk length");
        }
        int at = lineEnd + 2;
        if (count <= 0) {
            in.position(at);
            return List.of();
        }
        // Each argument takes at least 6 bytes ("$0\r\n\r\n"): a count beyond that is a lie about the size.
        if (count * 6 > maxRequestBytes) {
            throw new ProtocolException("Protocol error: request of " + count + " arguments exceeds the limit of "
                    + maxRequestBytes + " bytes");
        }
        // First pass: check that every argument is there, without allocating (but for the
        // scratch arrays of positions, which grow with the arguments that have arrived).
        for (int i = 0; i < count; i++) {
            if (at >= limit) {
                atMost = maxArrayBytes;
                return null;
            }
            byte type = in.get(at);
            if (type != '$') {
                throw new ProtocolException("Protocol error: expected '$', got '" + (char) (type & 0xFF) + "'");
            }
            int headerEnd = findCr(in, at + 1, "Protocol error: too big bulk count string");
            if (headerEnd < 0 || headerEnd + 1 >= limit) {
                atMost = maxArrayBytes;
                return null;
            }
            long length = parseLength(in, at + 1, headerEnd, "Protocol error: invalid bulk length");
            if (length < 0 || length > maxBulkBytes) {
                throw new ProtocolException("Protocol error: invalid bulk length");
            }
            if (!authenticated && length > UNAUTHENTICATED_MAX_BULK_BYTES) {
                throw new ProtocolException("Protocol error: unauthenticated bulk length");
            }
            long end = (long) headerEnd + 2 + length + 2;
            if (end - start > maxRequestBytes) {
                throw new ProtocolException("Protocol error: request exceeds the limit of " + maxRequestBytes + " bytes");
            }
            if (end > limit) {
                atMost = i == count - 1 ? (int) (end - start) : maxArrayBytes;
                return null;
            }
            if (i == starts.length) {
                starts = Arrays.copyOf(starts, 2 * i);
                lengths = Arrays.copyOf(lengths, 2 * i);
            }
            starts[i] = headerEnd + 2;
            lengths[i] = (int) length;
            at = (int) end;
        }
        // Second pass: the whole request is here.
        List<byte[]> arguments = new ArrayList<>((int) count);
        for (int i = 0; i < count; i++) {
            byte[] argument = new byte[lengths[i]];
            in.get(starts[i], argument);
            arguments.add(argument);
        }
        in.position(at);
        return arguments;
    }

    private List<byte[]> decodeInline(ByteBuffer in) {
        int start = in.position();
        int limit = in.limit();
        int newline = -1;
        for (int i = start; i < limit && i - start <= MAX_LINE_BYTES; i++) {
            if (in.get(i) == '\n') {
                newline = i;
                break;
            }
        }
        if (newline < 0) {
            if (limit - start > MAX_LINE_BYTES) {
                throw new ProtocolException("Protocol error: too big inline request");
            }
            // A line of the longest length and its newline, or one byte more, which is refused.
            atMost = MAX_LINE_BYTES + 1;
            return null;
        }
        int end = newline > start && in.get(newline - 1) == '\r' ? newline - 1 : newline;
        byte[] line = new byte[end - start];
        in.get(start, line);
        in.position(newline + 1);
        List<byte[]> arguments = InlineSplitter.split(line);
        if (arguments == null) {
            throw new ProtocolException("Protocol error: unbalanced quotes in request");
        }
        return arguments;
    }

    /** The index of the first CR at or after {@code from}, or -1 if not there yet; a line longer than allowed fails. */
    private static int findCr(ByteBuffer in, int from, String tooLong) {
        int limit = in.limit();
        for (int i = from; i < limit; i++) {
            if (in.get(i) == '\r') {
                return i;
            }
            if (i - from >= MAX_LINE_BYTES && tooLong != null) {
                throw new ProtocolException(tooLong);
            }
        }
        if (limit - from > MAX_LINE_BYTES && tooLong != null) {
            throw new ProtocolException(tooLong);
        }
        return -1;
    }

    /** The decimal integer in {@code [from, to)}, with Redis's strict rules (no sign but minus, no leading zeros). */
    private static long parseLength(ByteBuffer in, int from, int to, String error) {
        int length = to - from;
        if (length <= 0 || length > 20) {
            throw new ProtocolException(error);
        }
        boolean negative = in.get(from) == '-';
        int i = negative ? from + 1 : from;
        if (i == to || (in.get(i) == '0' && to - i > 1) || (negative && in.get(i) == '0')) {
            throw new ProtocolException(error);
        }
        long value = 0;
        for (; i < to; i++) {
            int digit = in.get(i) - '0';
            if (digit < 0 || digit > 9 || value > (Long.MAX_VALUE - digit) / 10) {
                throw new ProtocolException(error);
            }
            value = value * 10 + digit;
        }
        return negative ? -value : value;
    }
}
