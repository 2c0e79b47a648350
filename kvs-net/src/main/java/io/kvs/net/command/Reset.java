package io.kvs.net.command;

/** RESET: the connection back to a new one's state (RESP2, no name, no MULTI, no watched keys, not authenticated if there is a password). */
public record Reset() implements ConnectionCommand {

    static final Reply RESET = new Reply.Status("RESET");

    static Reset parse(Arguments args) {
        return new Reset();
    }

    @Override
    public Reply run(Session session, ServerContext server) {
        session.reset();
        server.unwatch(session);
        return RESET;
    }
}
