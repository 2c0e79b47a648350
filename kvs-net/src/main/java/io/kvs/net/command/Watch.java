package io.kvs.net.command;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * WATCH key [key ...]: the session's next EXEC runs only if none of these keys is written before
 * it (by any connection, this one included) and none that had an expiry expires; else EXEC
 * answers a null array and runs nothing. Not inside MULTI, and not on a replicated server, whose
 * EXEC is applied by every node's state machine, where a connection's watches are not known.
 */
public record Watch(List<byte[]> keys) implements ConnectionCommand {

    static Watch parse(Arguments args) {
        return new Watch(List.copyOf(args.from(1)));
    }

    @Override
    public Reply run(Session session, ServerContext server) {
        if (session.inMulti()) {
            return Reply.err("WATCH inside MULTI is not allowed");
        }
        if (server.replication() != null) {
            return Reply.err("WATCH is not supported by a replicated kvs-server: its EXEC is applied by every node");
        }
        for (byte[] key : keys) {
            ByteBuffer watched = ByteBuffer.wrap(key.clone());
            // Registered before the key is read, so that a write after the read reaches this session.
            server.watches().watch(session, watched);
            session.watch(watched, WatchedState.of(server.keys().get(key)));
        }
        return Reply.OK;
    }
}
