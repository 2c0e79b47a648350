package io.kvs.raft;

import org.apache.ratis.protocol.RaftPeer;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The members of a Raft group as {@code --raft-peers} lists them: {@code id@host:port} separated by
 * commas, for example {@code n1@10.0.0.1:5001,n2@10.0.0.2:5001,n3@10.0.0.3:5001} (an IPv6 host in
 * brackets). The port is the one the nodes speak Raft on, not the clients' {@code --addr}.
 */
public final class RaftPeers {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    private RaftPeers() {
    }

    /**
     * The peers {@code text} lists.
     *
     * @throws IllegalArgumentException with a sentence naming what is wrong
     */
    public static List<RaftPeer> parse(String text) {
        List<RaftPeer> peers = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        Set<String> addresses = new HashSet<>();
        for (String item : text.split(",", -1)) {
            String peer = item.strip();
            int at = peer.indexOf('@');
            if (at <= 0 || at == peer.length() - 1) {
                throw new IllegalArgumentException("invalid Raft peer '" + peer + "': expected ID@HOST:PORT, as n1@127.0.0.1:5001");
            }
            String id = peer.substring(0, at);
            if (!ID.matcher(id).matches()) {
                throw new IllegalArgumentException("invalid Raft peer id '" + id
                        + "': 1 to 64 letters, digits, '.', '_' or '-'");
            }
            String address = address(peer.substring(at + 1));
            if (!ids.add(id)) {
                throw new IllegalArgumentException("Raft peer id '" + id + "' is listed twice");
            }
            if (!addresses.add(address)) {
                throw new IllegalArgumentException("Raft peer address " + address + " is listed twice");
            }
            peers.add(RaftPeer.newBuilder().setId(id).setAddress(address).build());
        }
        return List.copyOf(peers);
    }

    /** {@code HOST:PORT} checked, the host as given (brackets kept for IPv6). */
    private static String address(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException("invalid Raft peer address '" + text + "': expected HOST:PORT");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") != host.endsWith("]") || !host.startsWith("[") && host.contains(":")) {
            throw new IllegalArgumentException("invalid Raft peer address '" + text + "': write an IPv6 host in brackets, as [::1]:5001");
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("invalid Raft peer port in '" + text + "': expected 1 to 65535");
        }
        return host + ":" + port;
    }

    /** The host of a peer's address (without IPv6 brackets). */
    static String host(RaftPeer peer) {
        String address = peer.getAddress();
        String host = address.substring(0, address.lastIndexOf(':'));
        return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    }

    /** The port of a peer's address. */
    static int port(RaftPeer peer) {
        String address = peer.getAddress();
        return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    }

    /** The peers as {@code --raft-peers} writes them. */
    public static String format(Iterable<RaftPeer> peers) {
        StringBuilder text = new StringBuilder();
        for (RaftPeer peer : peers) {
            if (text.length() > 0) {
                text.append(',');
            }
            text.append(peer.getId()).append('@').append(peer.getAddress());
        }
        return text.toString();
    }
}
