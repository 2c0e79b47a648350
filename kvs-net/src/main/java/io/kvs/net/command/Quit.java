package io.kvs.net.command;

/** QUIT: OK, then the server closes the connection. */
public record Quit() implements ConnectionCommand {

    static Quit parse(Arguments args) {
        return new Quit();
    }

    @Override
    public Reply run(Session session, ServerContext server) {
        session.closeAfterReply();
        return Reply.OK;
    }
}
