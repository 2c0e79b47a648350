package io.kvs.net.command;

/** MULTI: starts queueing commands for EXEC. */
public record Multi() implements ConnectionCommand {

    static Multi parse(Arguments args) {
        return new Multi();
    }

    @Override
    public Reply run(Session session, ServerContext server) {
        if (session.inMulti()) {
            return Reply.err("MULTI calls can not be nested");
        }
        session.startMulti();
        return Reply.OK;
    }
}
