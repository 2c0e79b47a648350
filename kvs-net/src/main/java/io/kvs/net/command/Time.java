package io.kvs.net.command;

import java.time.Instant;
import java.util.List;

/** TIME: the server's clock as seconds and microseconds since the epoch, two bulk strings. */
public record Time() implements ConnectionCommand {

    static Time parse(Arguments args) {
        return new Time();
    }

    @Override
    public Reply run(Session session, ServerContext server) {
        Instant now = server.clock().instant();
        return new Reply.Array(List.of(Reply.Bulk.of(Long.toString(now.getEpochSecond())),
                Reply.Bulk.of(Long.toString(now.getNano() / 1000))));
    }
}
