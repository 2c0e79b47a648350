package io.kvs.net.command;

/**
 * A command about the connection or the server rather than keys: PING, AUTH, HELLO, CLIENT,
 * MULTI/EXEC, INFO and the like. Runs on the connection's event loop thread.
 */
public sealed interface ConnectionCommand extends Command permits Ping, Echo, Hello, Auth, Select, Quit, Reset, Watch, Unwatch,
        ClientCommand, CommandIntrospection, Info, ConfigGet, Time, Multi, Exec, Discard, NodeStatus {

    /** Runs the command for {@code session} on {@code server}. */
    Reply run(Session session, ServerContext server);
}
