package io.kvs.net.command;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * CLIENT SETNAME, GETNAME, ID, INFO, LIST, SETINFO and KILL: the connection's own name, id and
 * library, and the list of connections (one line each, in Redis's format, with the fields kvs
 * knows and zero for buffer sizes it does not track).
 */
public record ClientCommand(Sub sub, List<byte[]> arguments) implements ConnectionCommand {

    /** The subcommands. */
    public enum Sub { SETNAME, GETNAME, ID, INFO, LIST, SETINFO, KILL }

    static ClientCommand parse(Arguments args, Sub sub) {
        List<byte[]> rest = List.copyOf(args.from(2));
        switch (sub) {
            case SETNAME -> checkName(rest.get(0));
            case SETINFO -> {
                if (!args.is(2, "lib-name") && !args.is(2, "lib-ver")) {
                    throw new InvalidCommandException(Reply.err("Unrecognized option '" + args.printed(2) + "'"));
                }
                if (!validName(rest.get(1))) {
                    throw new InvalidCommandException(Reply.err(args.printed(2) + " cannot contain spaces, newlines or special characters."));
                }
            }
            case LIST -> {
                if (rest.size() == 2 && args.is(2, "type")) {
                    break;
                }
                if (rest.size() >= 2 && args.is(2, "id")) {
                    for (int i = 3; i < args.count(); i++) {
                        Long id = Arguments.tryParseInteger(args.bytes(i));
                        if (id == null || id <= 0) {
                            throw new InvalidCommandException(Reply.err("Invalid client ID"));
                        }
                    }
                    break;
                }
                if (!rest.isEmpty()) {
                    throw InvalidCommandException.syntax();
                }
            }
            case KILL -> {
                if (rest.size() > 1 && rest.size() % 2 != 0) {
                    throw InvalidCommandException.syntax();
                }
            }
            default -> {
            }
        }
        return new ClientCommand(sub, rest);
    }

    /** {@code name} if it is a valid client name (printable ASCII, no spaces; empty clears), else the Redis error. */
    static String checkName(byte[] name) {
        if (!validName(name)) {
            throw new InvalidCommandException(Reply.err("Client names cannot contain spaces, newlines or special characters."));
        }
        return new String(name, StandardCharsets.US_ASCII);
    }

    private static boolean validName(byte[] name) {
        for (byte b : name) {
            if (b < '!' || b > '~') {
                return false;
            }
        }
        return true;
    }

    @Override
    public Reply run(Session session, ServerContext server) {
        return switch (sub) {
            case SETNAME -> {
                session.name(new String(arguments.get(0), StandardCharsets.US_ASCII));
                yield Reply.OK;
            }
            case GETNAME -> session.name().isEmpty() ? Reply.NULL : Reply.Bulk.of(session.name());
            case ID -> Reply.integer(session.id());
            case INFO -> new Reply.Verbatim(line(session, server, "client|info"));
            case LIST -> new Reply.Verbatim(list(session, server));
            case SETINFO -> {
                String value = new String(arguments.get(1), StandardCharsets.US_ASCII);
                if (new String(arguments.get(0), StandardCharsets.US_ASCII).equalsIgnoreCase("lib-name")) {
                    session.libraryName(value);
                } else {
                    session.libraryVersion(value);
                }
                yield Reply.OK;
            }
            case KILL -> kill(session, server);
        };
    }

    private String list(Session self, ServerContext server) {
        List<Session> sessions = new ArrayList<>(server.sessions());
        sessions.sort((a, b) -> Long.compare(a.id(), b.id()));
        StringBuilder out = new StringBuilder();
        boolean byType = arguments.size() == 2 && new String(arguments.get(0), StandardCharsets.US_ASCII).equalsIgnoreCase("type");
        if (byType && !new String(arguments.get(1), StandardCharsets.US_ASCII).equalsIgnoreCase("normal")) {
            return "";
        }
        java.util.Set<Long> ids = null;
        if (!byType && !arguments.isEmpty()) {
            ids = new java.util.HashSet<>();
            for (byte[] id : arguments.subList(1, arguments.size())) {
                ids.add(Arguments.parseInteger(id));
            }
        }
        for (Session session : sessions) {
            if (ids == null || ids.contains(session.id())) {
                out.append(line(session, server, session == self ? "client|list" : session.lastCommand()));
            }
        }
        return out.toString();
    }

    /** One CLIENT LIST line, ending in a newline. */
    static String line(Session session, ServerContext server, String command) {
        long now = server.clock().millis();
        return "id=" + session.id()
                + " addr=" + session.peerAddress()
                + " laddr=" + session.localAddress()
                + " fd=-1"
                + " name=" + session.name()
                + " age=" + Math.max(0, (now - session.createdMillis()) / 1000)
                + " idle=" + Math.max(0, (now - session.lastCommandMillis()) / 1000)
                + " flags=" + (session.inMulti() ? "x" : "N")
                + " db=0 sub=0 psub=0 ssub=0"
                + " multi=" + session.queuedCount()
                + " watch=0 qbuf=0 qbuf-free=0 argv-mem=0 multi-mem=0 rbs=0 rbp=0 obl=0 oll=0 omem=0 tot-mem=0 events=r"
                + " cmd=" + command
                + " user=default redir=-1"
                + " resp=" + session.protocol()
                + " lib-name=" + session.libraryName()
                + " lib-ver=" + session.libraryVersion()
                + "\n";
    }

    private Reply kill(Session self, ServerContext server) {
        if (arguments.size() == 1) {
            String address = new String(arguments.get(0), StandardCharsets.UTF_8);
            for (Session session : server.sessions()) {
                if (session.peerAddress().equals(address)) {
                    killSession(self, session);
                    return Reply.OK;
                }
            }
            return Reply.err("No such client");
        }
        Long id = null;
        String address = null;
        String local = null;
        boolean skipMe = true;
        Long maxAgeSeconds = null;
        boolean typeMatches = true;
        boolean userMatches = true;
        for (int i = 0; i < arguments.size(); i += 2) {
            String filter = new String(arguments.get(i), StandardCharsets.UTF_8).toLowerCase(java.util.Locale.ROOT);
            byte[] value = arguments.get(i + 1);
            String text = new String(value, StandardCharsets.UTF_8);
            switch (filter) {
                case "id" -> {
                    id = Arguments.tryParseInteger(value);
                    if (id == null || id <= 0) {
                        return Reply.err("client-id should be greater than 0");
                    }
                }
                case "addr" -> address = text;
                case "laddr" -> local = text;
                case "skipme" -> {
                    if (text.equalsIgnoreCase("yes")) {
                        skipMe = true;
                    } else if (text.equalsIgnoreCase("no")) {
                        skipMe = false;
                    } else {
                        return Reply.err("syntax error");
                    }
                }
                case "type" -> {
                    switch (text.toLowerCase(java.util.Locale.ROOT)) {
                        case "normal" -> typeMatches = true;
                        case "master", "replica", "slave", "pubsub" -> typeMatches = false;
                        default -> {
                            return Reply.err("Unknown client type '" + text + "'");
                        }
                    }
                }
                case "user" -> {
                    if (!text.equals(Credentials.DEFAULT_USER)) {
                        return Reply.err("No such user '" + text + "'");
                    }
                }
                case "maxage" -> {
                    maxAgeSeconds = Arguments.tryParseInteger(value);
                    if (maxAgeSeconds == null) {
                        return Reply.err("maxage is not an integer or out of range");
                    }
                    if (maxAgeSeconds <= 0) {
                        return Reply.err("maxage should be greater than 0");
                    }
                }
                default -> {
                    return Reply.err("syntax error");
                }
            }
        }
        long now = server.clock().millis();
        long killed = 0;
        for (Session session : server.sessions()) {
            boolean matches = typeMatches && userMatches
                    && (id == null || session.id() == id)
                    && (address == null || session.peerAddress().equals(address))
                    && (local == null || session.localAddress().equals(local))
                    && (maxAgeSeconds == null || (now - session.createdMillis()) / 1000 >= maxAgeSeconds)
                    && !(skipMe && session == self);
            if (matches) {
                killSession(self, session);
                killed++;
            }
        }
        return Reply.integer(killed);
    }

    private static void killSession(Session self, Session victim) {
        if (victim == self) {
            self.closeAfterReply();
        } else {
            victim.kill();
        }
    }
}
