package io.kvs.cli;

import com.beust.jcommander.IStringConverter;
import com.beust.jcommander.ParameterException;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses {@code IP:PORT} addresses: an IPv4 address ({@code 127.0.0.1:4000}) or an IPv6 address
 * in brackets ({@code [::1]:4000}). Only literal addresses: a host name is refused rather than
 * looked up.
 */
final class Addresses {

    /** The default address of both programs. */
    static final String DEFAULT = "127.0.0.1:4000";

    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3}):(\\d{1,5})");
    private static final Pattern IPV6 = Pattern.compile("\\[([0-9A-Fa-f:.]+)]:(\\d{1,5})");

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
        } else {
            throw invalid(text);
        }
        int portNumber = Integer.parseInt(port);
        if (portNumber > 65535 || (portNumber == 0 && !allowPortZero)) {
            throw new IllegalArgumentException("invalid port in address '" + text + "': " + portNumber);
        }
        return new InetSocketAddress(ip, portNumber);
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
                + "': expected IP:PORT, for example 127.0.0.1:4000 or [::1]:4000");
    }

    /** JCommander converter for client addresses (port 1 to 65535). */
    static final class ClientConverter implements IStringConverter<InetSocketAddress> {
        @Override
        public InetSocketAddress convert(String value) {
            try {
                return parse(value, false);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(e.getMessage());
            }
        }
    }

    /** JCommander converter for server addresses (port 0 picks a free port). */
    static final class ServerConverter implements IStringConverter<InetSocketAddress> {
        @Override
        public InetSocketAddress convert(String value) {
            try {
                return parse(value, true);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(e.getMessage());
            }
        }
    }
}
