package io.kvs.net.command;

/** UNWATCH: forgets the keys the session watches; its next EXEC is no longer conditional on them. */
public record Unwatch() implements ConnectionCommand {

    static Unwatch parse(Arguments args) {
        return new Unwatch();
    }

    @Override
    public Reply run(Session session, ServerContext server) {
        server.unwatch(session);
        return Reply.OK;
    }
}
