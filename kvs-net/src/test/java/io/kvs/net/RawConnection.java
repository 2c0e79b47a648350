package io.kvs.net;

import io.kvs.net.protocol.FrameDecoder;
import io.kvs.net.protocol.FrameDescriptor;
import io.kvs.net.protocol.Response;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/** A plain socket for tests that speak the protocol byte by byte. */
final class RawConnection implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final FrameDecoder decoder = new FrameDecoder(FrameDescriptor.MAX_FRAME_BYTES_DEFAULT);
    private ByteBuffer buffer = ByteBuffer.allocate(0);

    RawConnection(InetSocketAddress address, int timeoutMillis) throws IOException {
        socket = new Socket();
        socket.connect(address, timeoutMillis);
        socket.setSoTimeout(timeoutMillis);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Reads exactly {@code count} bytes, or fewer if the server closes first. */
    byte[] readBytes(int count) throws IOException {
        byte[] bytes = in.readNBytes(count);
        return bytes;
    }

    /** Reads one line of a RESP reply, without its CR LF; null at the end of the stream. */
    String readLine() throws IOException {
        java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, length, java.nio.charset.StandardCharsets.UTF_8);
            }
            line.write(b);
        }
        return null;
    }

    /** Reads one response frame. */
    Response readResponse() throws IOException {
        while (true) {
            Response response = decoder.decodeResponse(buffer);
            if (response != null) {
                return response;
            }
            byte[] chunk = new byte[8192];
            int read = in.read(chunk);
            if (read < 0) {
                throw new IOException("connection closed before a complete response");
            }
            ByteBuffer grown = ByteBuffer.allocate(buffer.remaining() + read);
            grown.put(buffer).put(chunk, 0, read).flip();
            buffer = grown;
        }
    }

    /** True if the server closed the connection (end of stream) with nothing more to read. */
    boolean closedByServer() throws IOException {
        try {
            return buffer.remaining() == 0 && in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            // A reset is also the server closing.
            return true;
        }
    }

    /** True if the server ended the stream in order (no reset) with nothing more to read. */
    boolean endOfStream() throws IOException {
        return buffer.remaining() == 0 && in.read() < 0;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] all = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }

    static byte[] hex(String hex) {
        String clean = hex.replaceAll("\\s+", "");
        byte[] bytes = new byte[clean.length() / 2];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) Integer.parseInt(clean.substring(2 * i, 2 * i + 2), 16);
        }
        return bytes;
    }

    @Override
    public String toString() {
        return "RawConnection{" + socket + ", buffered=" + Arrays.toString(Arrays.copyOf(buffer.array(), Math.min(16, buffer.remaining()))) + '}';
    }
}
