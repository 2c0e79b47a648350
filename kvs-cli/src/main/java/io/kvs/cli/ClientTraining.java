package io.kvs.cli;

import io.kvs.net.protocol.FrameDecoder;
import io.kvs.net.protocol.FrameDescriptor;
import io.kvs.net.protocol.FrameEncoder;
import io.kvs.net.protocol.Request;
import io.kvs.net.protocol.Response;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The training run behind the client's class-data archive ({@code bin/kvs-client}): runs
 * {@code set}, {@code get} and {@code rm}, found and not found, through {@link ClientMain}
 * against an in-memory stand-in server on a loopback port, so that the archive holds every class
 * a real request loads. A class left out of the archive costs more than its own loading: the
 * first one read from a jar opens and indexes that jar.
 */
final class ClientTraining {

    private ClientTraining() {
    }

    /**
     * Runs the training commands; ignores {@code args}. Throws if a command ends with another
     * exit code than a real server would give it.
     */
    public static void main(String[] args) throws IOException {
        try (ServerSocket listener = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
            Thread server = new Thread(() -> serve(listener), "kvs-training-server");
            server.setDaemon(true);
            server.start();
            String address = "127.0.0.1:" + listener.getLocalPort();
            expect(0, address, "set", "training-key", "training-value");
            expect(0, address, "get", "training-key");
            expect(0, address, "rm", "training-key");
            expect(0, address, "get", "training-key");
            expect(CliFailure.FAILURE, address, "rm", "training-key");
            expect(0, address, "set", "training-key", "--value-file", ValueFile.STDIN);
        }
    }

    /**
     * Runs one command and checks its exit code: a training run that failed quietly (say, on the
     * connection) would archive only the error path.
     */
    private static void expect(int exitCode, String address, String... command) {
        String[] arguments = Arrays.copyOf(command, command.length + 2);
        arguments[command.length] = "--addr";
        arguments[command.length + 1] = address;
        PrintStream discard = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
        InputStream stdin = new ByteArrayInputStream("training-value\n".getBytes(StandardCharsets.UTF_8));
        int actual = ClientMain.run(arguments, stdin, discard, discard);
        if (actual != exitCode) {
            throw new IllegalStateException("training command " + String.join(" ", arguments)
                    + " exited with " + actual + ", expected " + exitCode);
        }
    }

    /** Answers connections one at a time, from a map, until the listener is closed. */
    private static void serve(ServerSocket listener) {
        Map<String, String> data = new HashMap<>();
        FrameDecoder decoder = new FrameDecoder(FrameDescriptor.MAX_FRAME_BYTES_DEFAULT);
        while (!listener.isClosed()) {
            try (Socket socket = listener.accept()) {
                answer(socket, decoder, data);
            } catch (IOException e) {
                if (!listener.isClosed()) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }

    private static void answer(Socket socket, FrameDecoder decoder, Map<String, String> data) throws IOException {
        InputStream in = socket.getInputStream();
        OutputStream out = socket.getOutputStream();
        ByteBuffer received = ByteBuffer.allocate(64 * 1024);
        int read;
        while ((read = in.read(received.array(), received.position(), received.remaining())) > 0) {
            received.position(received.position() + read).flip();
            Request request;
            while ((request = decoder.decodeRequest(received)) != null) {
                out.write(FrameEncoder.encodeResponse(respond(request, data)));
            }
            out.flush();
            received.compact();
        }
    }

    private static Response respond(Request request, Map<String, String> data) {
        return switch (request.opcode()) {
            case FrameDescriptor.OP_SET -> {
                data.put(request.key(), request.value());
                yield Response.ok();
            }
            case FrameDescriptor.OP_GET -> {
                String value = data.get(request.key());
                yield value == null ? Response.notFound() : Response.value(value);
            }
            case FrameDescriptor.OP_REMOVE -> data.remove(request.key()) == null ? Response.notFound() : Response.ok();
            default -> Response.ok();
        };
    }
}
