package io.kvs.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/** Free loopback ports for servers that tests start, chosen at run time. */
public final class LoopbackPorts {

    private LoopbackPorts() {
    }

    /**
     * {@code count} distinct ports free on loopback now: all probed at once, since ports from
     * separate probes may coincide. Another process may still take one before it is used.
     */
    public static int[] free(int count) {
        int[] ports = new int[count];
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                sockets.add(socket);
                ports[i] = socket.getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            for (ServerSocket socket : sockets) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // Only probing.
                }
            }
        }
    }
}
