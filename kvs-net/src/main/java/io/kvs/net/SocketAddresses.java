package io.kvs.net;

import java.net.Inet6Address;
import java.net.InetSocketAddress;

/**
 * Formats socket addresses for people. Kept apart from the server so that the client, which
 * formats addresses in its messages, loads nothing of the server (start-up time).
 */
final class SocketAddresses {

    private SocketAddresses() {
    }

    /** Formats an address as {@code IP:PORT}, IPv6 in brackets and in its short form ({@code [::1]:4000}). */
    static String format(InetSocketAddress address) {
        // A StringBuilder, not "+": the client formats an address on every run, and the first
        // use of an invokedynamic concatenation costs it 13 ms of method-handle set-up on JDK 17.
        StringBuilder text = new StringBuilder(48);
        if (address.getAddress() instanceof Inet6Address v6) {
            text.append('[').append(shortForm(v6.getAddress())).append(']');
        } else {
            text.append(address.getAddress() == null ? address.getHostString() : address.getAddress().getHostAddress());
        }
        return text.append(':').append(address.getPort()).toString();
    }

    /** RFC 5952 text of an IPv6 address: lower-case hex, the longest run of zero groups as "::". */
    private static String shortForm(byte[] bytes) {
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((bytes[2 * i] & 0xFF) << 8) | (bytes[2 * i + 1] & 0xFF);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                text.append("::");
                i += bestLength - 1;
                continue;
            }
            if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
                text.append(':');
            }
            text.append(Integer.toHexString(groups[i]));
        }
        return text.toString();
    }

}
