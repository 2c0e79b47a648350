package io.kvs.net.command;

/** DISCARD: drops the commands queued since MULTI, and forgets the watched keys. */
public record Discard() implements ConnectionCommand {

    static Discard parse(Arguments args) {
        return new Discard();
    }

    @Override
    public Reply run(Session session, ServerContext server) {
        if (!session.inMulti()) {
            return Reply.err("DISCARD without MULTI");
        }
        session.endMulti();
        server.unwatch(session);
        return Reply.OK;
    }
}
