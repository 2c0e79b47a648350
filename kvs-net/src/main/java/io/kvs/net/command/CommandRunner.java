package io.kvs.net.command;

import io.kvs.core.CorruptLogException;
import io.kvs.core.EngineClosedException;
import io.kvs.core.InvalidStringException;
import io.kvs.core.KvsException;
import io.kvs.core.LimitExceededException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs commands for sessions, with Redis's order of checks: a request that failed to parse is
 * answered with its error (and dooms a MULTI block), then a connection that has not
 * authenticated may run only AUTH, HELLO, QUIT and RESET, then inside MULTI commands are queued.
 * Every failure becomes an error reply: nothing a command does can take the server down.
 * Thread-safe.
 */
public final class CommandRunner {

    private static final Logger LOG = LoggerFactory.getLogger(CommandRunner.class);
    static final Reply QUEUED = new Reply.Status("QUEUED");
    static final Reply.Error NOAUTH = new Reply.Error(Reply.Failure.AUTH, "NOAUTH", "Authentication required.");

    private final ServerContext server;

    CommandRunner(ServerContext server) {
        this.server = server;
    }

    /** Runs {@code command} for {@code session}: the reply to send. */
    public Reply execute(Session session, Command command) {
        Reply reply = dispatch(session, command);
        server.countCommand(reply);
        return reply;
    }

    private Reply dispatch(Session session, Command command) {
        if (command instanceof Rejected rejected && (rejected.abortsTransaction() || !session.inMulti())) {
            if (rejected.endsTransaction()) {
                // Redis answers an EXEC with arguments so whether or not MULTI came first.
                if (session.inMulti()) {
                    session.endMulti();
                }
                return new Reply.Error(Reply.Failure.REQUEST, "EXECABORT", "Transaction discarded because of: "
                        + rejected.error().message());
            }
            if (session.inMulti()) {
                session.queueFailed();
            }
            return rejected.error();
        }
        if (!session.authenticated() && !allowedBeforeAuth(command)) {
            if (session.inMulti()) {
                session.queueFailed();
            }
            return NOAUTH;
        }
        if (session.inMulti() && !runsInsideMulti(command)) {
            session.queue(command);
            return QUEUED;
        }
        return run(session, command, server.keys());
    }

    /**
     * Passes on to the engine a hint ({@link Keys#prefetch}) that {@code keys} are about to be
     * read by {@code session}'s next commands, when they are to run here and now (not queued in
     * MULTI, refused before authentication, or deferred to replication). Changes nothing.
     */
    public void prefetch(Session session, List<byte[]> keys) {
        if (keys.size() > 1 && server.replication() == null && session.authenticated() && !session.inMulti()) {
            server.keys().prefetch(keys);
        }
    }

    /**
     * True if {@code session}'s {@code command} is to be submitted to the server's
     * {@link Replication} (then {@link #propose}) rather than run now ({@link #execute}): a data
     * command that would run now, or an EXEC that would run its queue. Changes nothing.
     */
    public boolean defers(Session session, Command command) {
        if (server.replication() == null || !session.authenticated()) {
            return false;
        }
        if (command instanceof DataCommand) {
            return !session.inMulti();
        }
        return command instanceof Exec && session.inMulti() && !session.queueHasFailed() && session.queuedCount() > 0;
    }

    /**
     * The proposal for a command {@link #defers} said to submit; an EXEC ends the session's MULTI
     * block. {@code local} receives, for an EXEC, the replies of the queued commands that are not
     * data commands (PING, say), run now, by their position in the block: {@link #merge} puts
     * them back among the data commands' replies.
     */
    public Proposal propose(Session session, Command command, java.util.Map<Integer, Reply> local) {
        if (command instanceof DataCommand data) {
            return Proposal.of(data);
        }
        List<Command> queued = session.endMulti();
        List<DataCommand> data = new ArrayList<>(queued.size());
        for (int i = 0; i < queued.size(); i++) {
            if (queued.get(i) instanceof DataCommand queuedData) {
                data.add(queuedData);
            } else {
                local.put(i, run(session, queued.get(i), server.keys()));
            }
        }
        return new Proposal(data, true);
    }

    /**
     * The reply to a submitted proposal as the client sees it: for an EXEC, {@code local}'s
     * replies put back in their places; counted like a reply of {@link #execute}.
     */
    public Reply merge(Reply submitted, java.util.Map<Integer, Reply> local) {
        Reply reply = submitted;
        if (!local.isEmpty() && submitted instanceof Reply.Array array) {
            List<Reply> all = new ArrayList<>(array.items().size() + local.size());
            java.util.Iterator<Reply> remote = array.items().iterator();
            for (int i = 0; i < array.items().size() + local.size(); i++) {
                Reply here = local.get(i);
                all.add(here != null ? here : remote.next());
            }
            reply = new Reply.Array(all);
        }
        server.countCommand(reply);
        return reply;
    }

    /** Runs {@code command} against {@code keys} (the engine, or a transaction for EXEC), turning failures into error replies. */
    Reply run(Session session, Command command, Keys keys) {
        if (command instanceof DataCommand data) {
            return apply(data, keys);
        }
        try {
            return command instanceof ConnectionCommand connection
                    ? connection.run(session, server) : ((Rejected) command).error();
        } catch (RuntimeException e) {
            return failure(command, e);
        }
    }

    /**
     * Applies {@code command} to {@code keys}; an engine failure (a limit, storage, corruption,
     * a closed engine) becomes an error reply. Any thread.
     */
    public static Reply apply(DataCommand command, Keys keys) {
        try {
            return command.apply(keys);
        } catch (RuntimeException e) {
            return failure(command, e);
        }
    }

    /** The error reply for {@code command}'s failure {@code e}, logged unless it is the client's own doing. */
    private static Reply failure(Command command, RuntimeException e) {
        if (e instanceof LimitExceededException || e instanceof InvalidStringException) {
            return new Reply.Error(Reply.Failure.LIMIT, "ERR", e.getMessage());
        }
        if (e instanceof EngineClosedException) {
            return new Reply.Error(Reply.Failure.UNAVAILABLE, "ERR", "server is shutting down");
        }
        if (e instanceof CorruptLogException) {
            LOG.error("{} found corrupt data: {}", command.getClass().getSimpleName(), e.getMessage());
            return new Reply.Error(Reply.Failure.CORRUPTION, "ERR", e.getMessage());
        }
        if (e instanceof KvsException) {
            LOG.error("{} failed: {}", command.getClass().getSimpleName(), e.getMessage());
            return new Reply.Error(Reply.Failure.STORAGE, "ERR", e.getMessage());
        }
        LOG.error("{} failed unexpectedly", command.getClass().getSimpleName(), e);
        return new Reply.Error(Reply.Failure.INTERNAL, "ERR", "internal error: " + e);
    }

    private static boolean allowedBeforeAuth(Command command) {
        return command instanceof Auth || command instanceof Hello || command instanceof Quit || command instanceof Reset;
    }

    private static boolean runsInsideMulti(Command command) {
        return command instanceof Exec || command instanceof Discard || command instanceof Multi
                || command instanceof Quit || command instanceof Reset || command instanceof Watch;
    }
}
