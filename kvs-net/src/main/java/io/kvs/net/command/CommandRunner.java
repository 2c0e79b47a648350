package io.kvs.net.command;

import io.kvs.core.CorruptLogException;
import io.kvs.core.EngineClosedException;
import io.kvs.core.InvalidStringException;
import io.kvs.core.KvsException;
import io.kvs.core.LimitExceededException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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

    /** Runs {@code command} against {@code keys} (the engine, or a transaction for EXEC), turning failures into error replies. */
    Reply run(Session session, Command command, Keys keys) {
        try {
            if (command instanceof DataCommand data) {
                return data.apply(keys);
            }
            if (command instanceof ConnectionCommand connection) {
                return connection.run(session, server);
            }
            return ((Rejected) command).error();
        } catch (LimitExceededException | InvalidStringException e) {
            return new Reply.Error(Reply.Failure.LIMIT, "ERR", e.getMessage());
        } catch (EngineClosedException e) {
            return new Reply.Error(Reply.Failure.UNAVAILABLE, "ERR", "server is shutting down");
        } catch (CorruptLogException e) {
            LOG.error("{} found corrupt data: {}", command.getClass().getSimpleName(), e.getMessage());
            return new Reply.Error(Reply.Failure.CORRUPTION, "ERR", e.getMessage());
        } catch (KvsException e) {
            LOG.error("{} failed: {}", command.getClass().getSimpleName(), e.getMessage());
            return new Reply.Error(Reply.Failure.STORAGE, "ERR", e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("{} failed unexpectedly", command.getClass().getSimpleName(), e);
            return new Reply.Error(Reply.Failure.INTERNAL, "ERR", "internal error: " + e);
        }
    }

    private static boolean allowedBeforeAuth(Command command) {
        return command instanceof Auth || command instanceof Hello || command instanceof Quit || command instanceof Reset;
    }

    private static boolean runsInsideMulti(Command command) {
        return command instanceof Exec || command instanceof Discard || command instanceof Multi
                || command instanceof Quit || command instanceof Reset;
    }
}
