package io.kvs.net;

import io.kvs.core.ChildJvm;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A {@link ServerProcess} in a child JVM, seen from the test: its address, its statistics
 * (threads, heap, connections) on demand, and a graceful stop (closing its input).
 */
final class ChildServer implements AutoCloseable {

    private final Process process;
    private final BufferedReader out;
    private final OutputStream in;
    private final InetSocketAddress address;

    private ChildServer(Process process) throws IOException {
        this.process = process;
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.in = process.getOutputStream();
        String first = out.readLine();
        assertTrue(first != null && first.startsWith("port "), "server said " + first);
        this.address = new InetSocketAddress("127.0.0.1", Integer.parseInt(first.substring(5)));
    }

    /** Starts a server with extra JVM options and the {@link ServerProcess} arguments. */
    static ChildServer start(List<String> jvmOptions, String... args) throws IOException {
        return new ChildServer(ChildJvm.start(jvmOptions, ProcessBuilder.Redirect.PIPE, ServerProcess.class, args));
    }

    InetSocketAddress address() {
        return address;
    }

    Process process() {
        return process;
    }

    /**
     * One of the server's statistics: {@code threads}, {@code heap} (live bytes after a GC),
     * {@code connections}, {@code buffered} (bytes of input buffers) or {@code budget}.
     */
    long stat(String name) throws IOException {
        in.write("stats\n".getBytes(StandardCharsets.UTF_8));
        in.flush();
        String[] words = out.readLine().split(" ");
        for (int i = 0; i + 1 < words.length; i += 2) {
            if (words[i].equals(name)) {
                return Long.parseLong(words[i + 1]);
            }
        }
        throw new IllegalStateException("no " + name + " in stats");
    }

    /** Stops the server gracefully (it closes its store), or kills it after 30 s. */
    @Override
    public void close() throws IOException {
        in.close();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
