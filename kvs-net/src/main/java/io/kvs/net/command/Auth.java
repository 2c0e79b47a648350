package io.kvs.net.command;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * AUTH [username] password: authenticates the connection as the default user. A wrong password
 * is WRONGPASS, logged with the client's address and never the password.
 */
public record Auth(byte[] user, byte[] password) implements ConnectionCommand {

    private static final Logger LOG = LoggerFactory.getLogger(Auth.class);
    static final Reply.Error WRONGPASS = new Reply.Error(Reply.Failure.AUTH, "WRONGPASS",
            "invalid username-password pair or user is disabled.");

    static Auth parse(Arguments args) {
        if (args.count() > 3) {
            throw InvalidCommandException.syntax();
        }
        return args.count() == 3 ? new Auth(args.bytes(1), args.bytes(2)) : new Auth(null, args.bytes(1));
    }

    @Override
    public Reply run(Session session, ServerContext server) {
        return authenticate(session, server, user, password);
    }

    /** Checks the credentials and marks the session authenticated: OK, or the error to answer. */
    static Reply authenticate(Session session, ServerContext server, byte[] user, byte[] password) {
        Credentials credentials = server.credentials();
        if (credentials == null) {
            if (user == null) {
                return new Reply.Error(Reply.Failure.AUTH, "ERR", "AUTH <password> called without any password configured "
                        + "for the default user. Are you sure your configuration is correct?");
            }
            return new String(user, java.nio.charset.StandardCharsets.UTF_8).equals(Credentials.DEFAULT_USER) ? Reply.OK : WRONGPASS;
        }
        if (credentials.matches(user, password)) {
            session.authenticated(true);
            return Reply.OK;
        }
        LOG.warn("failed authentication from {} (connection {})", session.peerAddress(), session.id());
        return WRONGPASS;
    }
}
