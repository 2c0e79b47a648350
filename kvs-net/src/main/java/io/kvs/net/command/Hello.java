package io.kvs.net.command;

import java.util.ArrayList;
import java.util.List;

/**
 * HELLO [protover [AUTH username password] [SETNAME name]]: switches the connection to RESP2 or
 * RESP3 (authenticating and naming it first, if asked) and answers, in the new protocol, a map
 * of server, version, proto, id, mode, role and modules.
 */
public record Hello(int protocol, byte[] user, byte[] password, String name) implements ConnectionCommand {

    static Hello parse(Arguments args) {
        if (args.count() == 1) {
            return new Hello(0, null, null, null);
        }
        Long version = Arguments.tryParseInteger(args.bytes(1));
        if (version == null) {
            throw new InvalidCommandException(Reply.err("Protocol version is not an integer or out of range"));
        }
        if (version != 2 && version != 3) {
            throw new InvalidCommandException(new Reply.Error(Reply.Failure.REQUEST, "NOPROTO", "unsupported protocol version"));
        }
        byte[] user = null;
        byte[] password = null;
        String name = null;
        for (int i = 2; i < args.count(); i++) {
            int left = args.count() - i - 1;
            if (args.is(i, "auth") && left >= 2) {
                user = args.bytes(++i);
                password = args.bytes(++i);
            } else if (args.is(i, "setname") && left >= 1) {
                name = ClientCommand.checkName(args.bytes(++i));
            } else {
                throw new InvalidCommandException(Reply.err("Syntax error in HELLO option '" + args.printed(i) + "'"));
            }
        }
        return new Hello(version.intValue(), user, password, name);
    }

    @Override
    public Reply run(Session session, ServerContext server) {
        if (password != null) {
            Reply auth = Auth.authenticate(session, server, user, password);
            if (auth instanceof Reply.Error) {
                return auth;
            }
        }
        if (!session.authenticated()) {
            return new Reply.Error(Reply.Failure.AUTH, "NOAUTH", "HELLO must be called with the client already authenticated, "
                    + "otherwise the HELLO <proto> AUTH <user> <pass> option can be used to authenticate the client and "
                    + "select the RESP protocol version at the same time");
        }
        if (name != null) {
            session.name(name);
        }
        if (protocol != 0) {
            session.protocol(protocol);
        }
        List<Reply> map = new ArrayList<>();
        map.add(Reply.Bulk.of("server"));
        map.add(Reply.Bulk.of("kvs"));
        map.add(Reply.Bulk.of("version"));
        map.add(Reply.Bulk.of(ServerContext.REDIS_VERSION));
        map.add(Reply.Bulk.of("proto"));
        map.add(Reply.integer(session.protocol()));
        map.add(Reply.Bulk.of("id"));
        map.add(Reply.integer(session.id()));
        map.add(Reply.Bulk.of("mode"));
        map.add(Reply.Bulk.of("standalone"));
        map.add(Reply.Bulk.of("role"));
        map.add(Reply.Bulk.of("master"));
        map.add(Reply.Bulk.of("modules"));
        map.add(new Reply.Array(List.of()));
        return new Reply.MapReply(map);
    }
}
