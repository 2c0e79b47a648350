package io.kvs.bench;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * The reference for client start-up time: the least a Java program can do to ask a kvs server
 * something. It connects, sends a PING frame and reads the 6-byte answer, nothing else. Compare
 * {@code bin/kvs-client get k} with {@code java -cp kvs-bench.jar io.kvs.bench.StartupProbe PORT}
 * on the same JDK (see docs/BENCHMARKS.md).
 */
public final class StartupProbe {

    private StartupProbe() {
    }

    public static void main(String[] args) throws Exception {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0])));
            OutputStream out = socket.getOutputStream();
            out.write(new byte[]{0, 0, 0, 2, 1, 4});
            out.flush();
            InputStream in = socket.getInputStream();
            if (in.readNBytes(6).length != 6) {
                System.exit(1);
            }
        }
    }
}
