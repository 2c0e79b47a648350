package io.kvs.net.command;

import java.util.ArrayList;
import java.util.List;

/**
 * EXEC: runs the commands queued since MULTI as one engine transaction (all their writes are one
 * atomic unit; no other write interleaves) and answers their replies in order. An error reply
 * of one command does not stop the others, as in Redis; if a queued command failed to parse,
 * nothing runs and the answer is EXECABORT. If a key the session WATCHes was written or has
 * expired since, nothing runs and the answer is a null array. Every watch ends here.
 */
public record Exec() implements ConnectionCommand {

    static Exec parse(Arguments args) {
        return new Exec();
    }

    @Override
    public Reply run(Session session, ServerContext server) {
        if (!session.inMulti()) {
            return Reply.err("EXEC without MULTI");
        }
        boolean failed = session.queueHasFailed();
        List<Command> commands = session.endMulti();
        try {
            if (failed) {
                return new Reply.Error(Reply.Failure.REQUEST, "EXECABORT", "Transaction discarded because of previous errors.");
            }
            if (commands.isEmpty() && !session.watching()) {
                return new Reply.Array(List.of());
            }
            return server.keys().atomically(keys -> {
                // Checked with the engine's write lock held: a write not yet seen here waits for this EXEC.
                if (session.watchBroken(keys)) {
                    return Reply.NULL_ARRAY;
                }
                List<Reply> replies = new ArrayList<>(commands.size());
                for (Command command : commands) {
                    replies.add(server.runner().run(session, command, keys));
                }
                return new Reply.Array(replies);
            });
        } finally {
            server.unwatch(session);
        }
    }
}
