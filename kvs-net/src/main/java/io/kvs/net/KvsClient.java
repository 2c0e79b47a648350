package io.kvs.net;

import io.kvs.core.KeyNotFoundException;
import io.kvs.core.KvsLimits;
import io.kvs.net.protocol.FrameDecoder;
import io.kvs.net.protocol.FrameDescriptor;
import io.kvs.net.protocol.FrameEncoder;
import io.kvs.net.protocol.ProtocolException;
import io.kvs.net.protocol.Request;
import io.kvs.net.protocol.Response;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A connection to a {@link KvsServer}. The blocking {@code set}, {@code get} and {@code remove}
 * mirror {@link io.kvs.core.KvsEngine}; {@link #pipeline()} sends many requests before reading
 * their responses. Not thread-safe: use one client per thread.
 *
 * <p>Failures: {@link ConnectionFailedException} (refused, unreachable, broken),
 * {@link RequestTimeoutException}, {@link ServerErrorException} (an ERROR response),
 * {@link ProtocolMismatchException} (the first bytes back cannot begin a kvs response: some other
 * kind of server), {@link ProtocolException} (later bytes that are not the protocol). After any
 * of these but a server error the connection is closed.
 */
public final class KvsClient implements AutoCloseable {

    /** Default connect and response timeout. */
    public static final Duration TIMEOUT_DEFAULT = Duration.ofSeconds(30);
    /** The shortest timeout: one millisecond (socket timeouts count milliseconds, and 0 would mean forever). */
    public static final Duration TIMEOUT_MIN = Duration.ofMillis(1);
    /** The longest timeout: one day. */
    public static final Duration TIMEOUT_MAX = Duration.ofDays(1);
    /**
     * The largest length field of any response: a VALUE frame of the largest value. A first
     * response that announces more is not from a kvs server.
     */
    private static final long MAX_RESPONSE_LENGTH = FrameDescriptor.MIN_LENGTH + (long) KvsLimits.MAX_VALUE_BYTES;
    private static final int INITIAL_BUFFER_BYTES = 8 * 1024;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final String address;
    private final Duration timeout;
    private final FrameDecoder decoder = new FrameDecoder(FrameDescriptor.MAX_FRAME_BYTES_DEFAULT);
    private ByteBuffer buffer = ByteBuffer.allocate(INITIAL_BUFFER_BYTES).flip();
    /** False until a whole response has arrived: until then, bytes that cannot start one mean another protocol. */
    private boolean spokenTo;

    private KvsClient(Socket socket, String address, Duration timeout) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
        this.address = address;
        this.timeout = timeout;
    }

    /** Connects to {@code server} with the default timeout. */
    public static KvsClient connect(InetSocketAddress server) {
        return connect(server, TIMEOUT_DEFAULT);
    }

    /**
     * Connects to {@code server}; {@code timeout} ({@link #TIMEOUT_MIN} to {@link #TIMEOUT_MAX})
     * bounds the connect and each wait for a response.
     *
     * @throws ConnectionFailedException if the server cannot be reached
     * @throws IllegalArgumentException if the timeout is out of range
     */
    public static KvsClient connect(InetSocketAddress server, Duration timeout) {
        Objects.requireNonNull(server, "server must not be null");
        Objects.requireNonNull(timeout, "timeout must not be null");
        if (timeout.compareTo(TIMEOUT_MIN) < 0 || timeout.compareTo(TIMEOUT_MAX) > 0) {
            throw new IllegalArgumentException("timeout must be from " + TIMEOUT_MIN.toMillis() + " ms to "
                    + TIMEOUT_MAX.toHours() + " hours, got " + timeout);
        }
        String address = SocketAddresses.format(server);
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(server, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
            socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
            return new KvsClient(socket, address, timeout);
        } catch (SocketTimeoutException e) {
            closeQuietly(socket);
            throw new ConnectionFailedException("cannot connect to " + address + ": no answer within " + timeout.toMillis() + " ms", e);
        } catch (IOException e) {
            closeQuietly(socket);
            throw new ConnectionFailedException("cannot connect to " + address + ": " + e.getMessage(), e);
        }
    }

    /** Sets {@code key} to {@code value} on the server. */
    public void set(String key, String value) {
        expectOk(call(Request.set(key, value)));
    }

    /** The value of {@code key} on the server, or empty if it does not exist. */
    public Optional<String> get(String key) {
        Response response = call(Request.get(key));
        return switch (response.status()) {
            case FrameDescriptor.STATUS_VALUE -> Optional.of(response.value());
            case FrameDescriptor.STATUS_NOT_FOUND -> Optional.empty();
            default -> throw unexpected(response);
        };
    }

    /**
     * Removes {@code key} on the server.
     *
     * @throws KeyNotFoundException if it does not exist
     */
    public void remove(String key) {
        Response response = call(Request.remove(key));
        if (response.status() == FrameDescriptor.STATUS_NOT_FOUND) {
            throw new KeyNotFoundException(key);
        }
        expectOk(response);
    }

    /**
     * Authenticates this connection with {@code password} (a server started with
     * {@code --password-file} refuses every other request until then).
     *
     * @throws ServerErrorException with {@link FrameDescriptor#ERROR_AUTH} if the password is wrong
     */
    public void auth(String password) {
        expectOk(call(Request.auth(password)));
    }

    /** Checks that the server answers. */
    public void ping() {
        expectOk(call(Request.ping()));
    }

    /**
     * The server's status as {@code field:value} lines: for a node of a replicated group its Raft
     * fields (INFO's {@code # Raft} section), for a single server {@code raft_role:standalone}.
     */
    public String status() {
        Response response = call(Request.status());
        if (response.status() != FrameDescriptor.STATUS_VALUE) {
            throw unexpected(response);
        }
        return response.value();
    }

    /** Starts a batch of requests sent together; see {@link Pipeline}. */
    public Pipeline pipeline() {
        return new Pipeline(this);
    }

    /** The server's address as {@code IP:PORT}. */
    public String address() {
        return address;
    }

    private Response call(Request request) {
        byte[] frame = FrameEncoder.encodeRequest(request);
        send(frame);
        flush();
        return receive();
    }

    void send(byte[] frame) {
        try {
            out.write(frame);
        } catch (IOException e) {
            throw broken(e);
        }
    }

    void flush() {
        try {
            out.flush();
        } catch (IOException e) {
            throw broken(e);
        }
    }

    /** Reads the next response; ERROR responses are returned, not thrown. */
    Response receive() {
        try {
            while (true) {
                if (!spokenTo && !couldStartResponse(buffer)) {
                    throw new ProtocolMismatchException(address);
                }
                Response response = decoder.decodeResponse(buffer);
                if (response != null) {
                    spokenTo = true;
                    return response;
                }
                fill();
            }
        } catch (ProtocolException e) {
            close();
            if (!spokenTo && !(e instanceof ProtocolMismatchException)) {
                // A first response that breaks the protocol is not from a kvs server either.
                throw new ProtocolMismatchException(address);
            }
            throw e;
        }
    }

    /**
     * False if the bytes at the buffer's position (as many as have arrived) cannot begin a
     * response: a length outside 2 to the largest response, another version, an unknown status.
     */
    private static boolean couldStartResponse(ByteBuffer in) {
        int at = in.position();
        int available = in.remaining();
        if (available >= FrameDescriptor.LENGTH_FIELD_BYTES) {
            long length = Integer.toUnsignedLong(in.getInt(at + FrameDescriptor.LENGTH_OFFSET));
            if (length < FrameDescriptor.MIN_LENGTH || length > MAX_RESPONSE_LENGTH) {
                return false;
            }
        } else if (available > 0 && (in.get(at) & 0xFF) > (MAX_RESPONSE_LENGTH >>> 24)) {
            return false;
        }
        if (available > FrameDescriptor.VERSION_OFFSET && in.get(at + FrameDescriptor.VERSION_OFFSET) != FrameDescriptor.VERSION) {
            return false;
        }
        if (available > FrameDescriptor.TYPE_OFFSET) {
            byte status = in.get(at + FrameDescriptor.TYPE_OFFSET);
            return status == FrameDescriptor.STATUS_OK || status == FrameDescriptor.STATUS_VALUE
                    || status == FrameDescriptor.STATUS_NOT_FOUND || status == FrameDescriptor.STATUS_ERROR;
        }
        return true;
    }

    private void fill() {
        int needed = Math.max(decoder.frameSize(buffer), buffer.remaining() + 1);
        if (buffer.capacity() < needed) {
            ByteBuffer larger = ByteBuffer.allocate(Math.max(needed, buffer.capacity() * 2));
            larger.put(buffer).flip();
            buffer = larger;
        }
        buffer.compact();
        try {
            int read = in.read(buffer.array(), buffer.arrayOffset() + buffer.position(), buffer.remaining());
            if (read < 0) {
                close();
                if (!spokenTo && buffer.position() > 0) {
                    // Some bytes, then end of stream, before a first response: not a kvs server.
                    throw new ProtocolMismatchException(address);
                }
                throw new ConnectionFailedException("connection to " + address + " closed by the server", null);
            }
            buffer.position(buffer.position() + read);
        } catch (SocketTimeoutException e) {
            close();
            throw new RequestTimeoutException("no response from " + address + " within " + timeout.toMillis() + " ms", e);
        } catch (IOException e) {
            throw broken(e);
        } finally {
            buffer.flip();
        }
    }

    static void expectOk(Response response) {
        if (response.status() != FrameDescriptor.STATUS_OK) {
            throw unexpected(response);
        }
    }

    static RuntimeException unexpected(Response response) {
        if (response.isError()) {
            return new ServerErrorException(response.errorCode(), response.message());
        }
        return new ProtocolException("unexpected response status " + response.status());
    }

    private ConnectionFailedException broken(IOException e) {
        close();
        return new ConnectionFailedException("connection to " + address + " failed: " + e.getMessage(), e);
    }

    /** Closes the connection. Idempotent. */
    @Override
    public void close() {
        closeQuietly(socket);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Nothing to do about a failed close.
        }
    }

    @Override
    public String toString() {
        return "KvsClient{" + address + '}';
    }

    /** Responses to a pipeline, in request order. */
    static List<Response> receive(KvsClient client, int count) {
        Response[] responses = new Response[count];
        for (int i = 0; i < count; i++) {
            responses[i] = client.receive();
        }
        return List.of(responses);
    }
}
