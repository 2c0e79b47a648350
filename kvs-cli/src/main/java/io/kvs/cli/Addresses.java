package io.kvs.cli;

import io.kvs.net.KvsServer;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the {@code --addr} of both programs: an IPv4 address ({@code 127.0.0.1:4000}), an IPv6
 * address in brackets ({@code [::1]:4000}) or a host name ({@code localhost:4000}), then a port.
 * A literal address is parsed, never looked up; a host name is resolved once, here, to its first
 * address.
 */
final class Addresses {

    /** The default address of both programs. */
    static final String DEFAULT = "127.0.0.1:4000";

    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3}):(\\d{1,5})");
    private static final Pattern IPV6 = Pattern.compile("\\[([0-9A-Fa-f:.]+)]:(\\d{1,5})");
    /** A DNS name: labels of letters, digits and inner hyphens; at least one letter, so "1.2.3" is no name. */
    private static final Pattern HOST = Pattern.compile(
            "((?=[^:]*[A-Za-z])[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\\.?):(\\d{1,5})");

    private Addresses() {
    }

    /**
     * Parses {@code text}; {@code allowPortZero} lets a server ask for any free port.
     *
     * @throws IllegalArgumentException with a sentence saying what is wrong
     */
    static InetSocketAddress parse(String text, boolean allowPortZero) {
        Matcher v4 = IPV4.matcher(text);
        Matcher v6 = IPV6.matcher(text);
        Matcher host = HOST.matcher(text);
        InetAddress ip;
        String port;
        if (v4.matches()) {
            byte[] bytes = new byte[4];
            for (int i = 0; i < 4; i++) {
                int octet = Integer.parseInt(v4.group(i + 1));
                if (octet > 255) {
                    throw invalid(text);
                }
                bytes[i] = (byte) octet;
            }
            ip = byAddress(bytes, text);
            port = v4.group(5);
        } else if (v6.matches() && v6.group(1).contains(":")) {
            try {
                // A literal with only hex digits, colons and dots is parsed, never looked up.
                ip = InetAddress.getByName(v6.group(1));
            } catch (UnknownHostException e) {
                throw invalid(text);
            }
            port = v6.group(2);
        } else if (host.matches()) {
            port = host.group(2);
            checkPort(text, port, allowPortZero);
            try {
                ip = InetAddress.getByName(host.group(1));
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("cannot resolve host '" + host.group(1) + "' in address '" + text + "'");
            }
        } else {
            throw invalid(text);
        }
        return new InetSocketAddress(ip, checkPort(text, port, allowPortZero));
    }

    /**
     * {@code text} (a valid address) as it should appear in messages, with {@code port} for its
     * port: a host name as given, a literal address in its normal form ({@code [::1]:4000}).
     */
    static String display(String text, int port) {
        Matcher host = HOST.matcher(text);
        if (host.matches()) {
            return host.group(1) + ":" + port;
        }
        return KvsServer.format(new InetSocketAddress(parse(text, true).getAddress(), port));
    }

    private static int checkPort(String text, String port, boolean allowPortZero) {
        int portNumber = Integer.parseInt(port);
        if (portNumber > 65535 || (portNumber == 0 && !allowPortZero)) {
            throw new IllegalArgumentException("invalid port in address '" + text + "': " + portNumber);
        }
        return portNumber;
    }

    private static InetAddress byAddress(byte[] bytes, String text) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw invalid(text);
        }
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException("invalid address '" + text
                + "': expected IP:PORT or HOST:PORT, for example 127.0.0.1:4000, [::1]:4000 or localhost:4000");
    }
}
