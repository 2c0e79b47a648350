package io.kvs.bench;

import io.kvs.net.protocol.FrameDescriptor;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * One connection of the load generator, speaking either the kvs protocol or RESP2 (Redis), with
 * the same buffering on both so that they are measured alike. Requests are written to a buffer;
 * {@link #flush()} sends them; {@link #awaitReply()} reads one reply. Not thread-safe.
 */
abstract class LoadConnection implements AutoCloseable {

    private final Socket socket;
    protected final OutputStream out;
    protected final InputStream in;

    LoadConnection(InetSocketAddress address) throws IOException {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(address, 10_000);
        socket.setSoTimeout(60_000);
        out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
        in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
    }

    static LoadConnection open(String protocol, InetSocketAddress address) throws IOException {
        return switch (protocol) {
            case "kvs" -> new Kvs(address);
            case "resp" -> new Resp(address);
            default -> throw new IllegalArgumentException("unknown protocol '" + protocol + "': expected kvs or resp");
        };
    }

    abstract void set(byte[] key, byte[] value) throws IOException;

    abstract void get(byte[] key) throws IOException;

    /** Reads one reply; fails on an error reply. */
    abstract void awaitReply() throws IOException;

    void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    protected int readByte() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("server closed the connection");
        }
        return b;
    }

    /** The kvs protocol (docs/PROTOCOL.md). */
    static final class Kvs extends LoadConnection {
        private byte[] reply = new byte[256];

        Kvs(InetSocketAddress address) throws IOException {
            super(address);
        }

        @Override
        void set(byte[] key, byte[] value) throws IOException {
            writeInt(FrameDescriptor.MIN_LENGTH + FrameDescriptor.KEY_LENGTH_FIELD_BYTES + key.length + value.length);
            out.write(FrameDescriptor.VERSION);
            out.write(FrameDescriptor.OP_SET);
            writeInt(key.length);
            out.write(key);
            out.write(value);
        }

        @Override
        void get(byte[] key) throws IOException {
            writeInt(FrameDescriptor.MIN_LENGTH + key.length);
            out.write(FrameDescriptor.VERSION);
            out.write(FrameDescriptor.OP_GET);
            out.write(key);
        }

        @Override
        void awaitReply() throws IOException {
            int length = (readByte() << 24) | (readByte() << 16) | (readByte() << 8) | readByte();
            if (length > reply.length) {
                reply = new byte[length];
            }
            if (in.readNBytes(reply, 0, length) != length) {
                throw new EOFException("server closed the connection mid-reply");
            }
            if (reply[1] == FrameDescriptor.STATUS_ERROR) {
                throw new IOException("server error: " + new String(reply, 3, length - 3, StandardCharsets.UTF_8));
            }
        }

        private void writeInt(int value) throws IOException {
            out.write(value >>> 24);
            out.write(value >>> 16);
            out.write(value >>> 8);
            out.write(value);
        }
    }

    /** RESP2, as spoken by Redis: SET and GET as arrays of bulk strings. */
    static final class Resp extends LoadConnection {
        private static final byte[] SET = "*3\r\n$3\r\nSET\r\n".getBytes(StandardCharsets.US_ASCII);
        private static final byte[] GET = "*2\r\n$3\r\nGET\r\n".getBytes(StandardCharsets.US_ASCII);
        private static final byte[] CRLF = {'\r', '\n'};

        Resp(InetSocketAddress address) throws IOException {
            super(address);
        }

        @Override
        void set(byte[] key, byte[] value) throws IOException {
            out.write(SET);
            bulk(key);
            bulk(value);
        }

        @Override
        void get(byte[] key) throws IOException {
            out.write(GET);
            bulk(key);
        }

        private void bulk(byte[] bytes) throws IOException {
            out.write('$');
            out.write(Integer.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
            out.write(CRLF);
            out.write(bytes);
            out.write(CRLF);
        }

        @Override
        void awaitReply() throws IOException {
            int type = readByte();
            String line = readLine();
            switch (type) {
                case '+', ':' -> {
                }
                case '$' -> {
                    int length = Integer.parseInt(line);
                    if (length >= 0) {
                        in.skipNBytes(length + 2L);
                    }
                }
                case '-' -> throw new IOException("redis error: " + line);
                default -> throw new IOException("unexpected RESP reply type " + (char) type);
            }
        }

        private String readLine() throws IOException {
            StringBuilder line = new StringBuilder();
            int b;
            while ((b = readByte()) != '\r') {
                line.append((char) b);
            }
            readByte();
            return line.toString();
        }
    }
}
