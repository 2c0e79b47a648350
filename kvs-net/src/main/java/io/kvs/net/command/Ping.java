package io.kvs.net.command;

/** PING [message]: PONG, or the message. */
public record Ping(byte[] message) implements ConnectionCommand {

    static final Reply PONG = new Reply.Status("PONG");

    static Ping parse(Arguments args) {
        if (args.count() > 2) {
            throw CommandTable.wrongArity("ping");
        }
        return new Ping(args.count() == 2 ? args.bytes(1) : null);
    }

    @Override
    public Reply run(Session session, ServerContext server) {
        return message == null ? PONG : new Reply.Bulk(message);
    }
}
