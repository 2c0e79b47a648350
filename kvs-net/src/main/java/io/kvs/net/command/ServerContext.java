package io.kvs.net.command;

import io.kvs.core.KvsEngine;

import java.time.Clock;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the commands of a server share: its engine, its password (if any), the sessions of its
 * open connections (CLIENT LIST, CLIENT KILL) and the counters INFO reports. Thread-safe: every
 * event loop uses the same one.
 */
public final class ServerContext {

    /** The Redis version kvs reports (HELLO, INFO): clients enable features by it. */
    public static final String REDIS_VERSION = "7.4.0";

    private final EngineKeys keys;
    private final KeyWatches watches = new KeyWatches();
    private final Credentials credentials;
    private final String engineName;
    private final String kvsVersion;
    private final int port;
    private final long startMillis;
    private final CommandRunner runner;
    /** Null for a single server. */
    private final Replication replication;
    private final AtomicLong nextSessionId = new AtomicLong(1);
    private final Map<Long, Session> sessions = new ConcurrentHashMap<>();
    private final LongAdder commandsProcessed = new LongAdder();
    private final LongAdder connectionsReceived = new LongAdder();
    private final LongAdder errorReplies = new LongAdder();

    /**
     * The context of a server of {@code engine} (named {@code engineName}: kvs or xodus) on
     * {@code port}; {@code credentials} null if it has no password.
     */
    public ServerContext(KvsEngine engine, String engineName, String kvsVersion, int port, Credentials credentials) {
        this(engine, engineName, kvsVersion, port, credentials, null);
    }

    /** As the other constructor, for a server whose data commands go through {@code replication} (null: none). */
    public ServerContext(KvsEngine engine, String engineName, String kvsVersion, int port, Credentials credentials,
                         Replication replication) {
        this.keys = new EngineKeys(engine, watches);
        this.engineName = engineName;
        this.kvsVersion = kvsVersion;
        this.port = port;
        this.credentials = credentials;
        this.startMillis = engine.clock().millis();
        this.replication = replication;
        this.runner = new CommandRunner(this);
    }

    /** Where data commands go in a replicated server; null for a single one. */
    public Replication replication() {
        return replication;
    }

    /** The engine's key space. */
    public EngineKeys keys() {
        return keys;
    }

    /** The keys this server's sessions WATCH. */
    KeyWatches watches() {
        return watches;
    }

    /** Forgets the keys {@code session} watches (UNWATCH, EXEC, DISCARD, RESET, a closed connection). */
    void unwatch(Session session) {
        if (session.watching()) {
            watches.unwatch(session, session.endWatch());
        }
    }

    /** Runs commands for this server's connections. */
    public CommandRunner runner() {
        return runner;
    }

    /** The engine's clock. */
    public Clock clock() {
        return keys.engine().clock();
    }

    /** True if connections must authenticate. */
    public boolean authRequired() {
        return credentials != null;
    }

    /** The password, or null if there is none. */
    Credentials credentials() {
        return credentials;
    }

    String engineName() {
        return engineName;
    }

    String kvsVersion() {
        return kvsVersion;
    }

    int port() {
        return port;
    }

    long startMillis() {
        return startMillis;
    }

    /** A session for a new connection from {@code peer} to {@code local}, registered until {@link #closed}. */
    public Session open(String peer, String local) {
        Session session = new Session(nextSessionId.getAndIncrement(), peer, local, clock().millis(), authRequired());
        sessions.put(session.id(), session);
        connectionsReceived.increment();
        return session;
    }

    /** The connection of {@code session} closed. */
    public void closed(Session session) {
        sessions.remove(session.id());
        unwatch(session);
    }

    Collection<Session> sessions() {
        return sessions.values();
    }

    void countCommand(Reply reply) {
        commandsProcessed.increment();
        if (reply instanceof Reply.Error) {
            errorReplies.increment();
        }
    }

    long commandsProcessed() {
        return commandsProcessed.sum();
    }

    long connectionsReceived() {
        return connectionsReceived.sum();
    }

    long errorReplies() {
        return errorReplies.sum();
    }
}
