package io.kvs.net.command;

/** ECHO message: the message. */
public record Echo(byte[] message) implements ConnectionCommand {

    static Echo parse(Arguments args) {
        return new Echo(args.bytes(1));
    }

    @Override
    public Reply run(Session session, ServerContext server) {
        return new Reply.Bulk(message);
    }
}
