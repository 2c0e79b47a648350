package io.kvs.net.command;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The state of one client connection that commands see and change: its id, protocol version,
 * whether it has authenticated, its name and library, a MULTI block being queued, the keys it
 * WATCHes, and whether it asked to be closed. Owned by the event loop thread serving the
 * connection; other threads (CLIENT LIST, CLIENT KILL from another connection, a write of a
 * watched key) only read the volatile fields, set {@link #kill()} or mark the watch touched.
 */
public final class Session {

    private final long id;
    private final String peerAddress;
    private final String localAddress;
    private final long createdMillis;
    private final boolean authRequired;
    private volatile int protocol = 2;
    private volatile boolean authenticated;
    private volatile String name = "";
    private volatile String libraryName = "";
    private volatile String libraryVersion = "";
    /** When the connection last sent a request; written by its loop, read racily for CLIENT LIST (display only). */
    private long lastCommandMillis;
    /** The name of the last command; written by its loop, read racily for CLIENT LIST (display only). */
    private String lastCommand = "NULL";
    private volatile boolean killed;
    private List<Command> queued;
    private boolean queueFailed;
    /** The keys WATCHed, each with what it held then; null if none. Its loop only. */
    private Map<ByteBuffer, WatchedState> watched;
    /** Set by any thread that writes a watched key ({@link KeyWatches}): the next EXEC aborts. */
    private volatile boolean watchTouched;
    private boolean closeAfterReply;

    /**
     * A session for connection {@code id} from {@code peerAddress} to {@code localAddress}
     * ({@code ip:port} each); {@code authRequired} if the server has a password.
     */
    public Session(long id, String peerAddress, String localAddress, long nowMillis, boolean authRequired) {
        this.id = id;
        this.peerAddress = peerAddress;
        this.localAddress = localAddress;
        this.createdMillis = nowMillis;
        this.lastCommandMillis = nowMillis;
        this.authRequired = authRequired;
        this.authenticated = !authRequired;
    }

    /** The connection's id: unique for the server's life, from 1. */
    public long id() {
        return id;
    }

    /** The client's address. */
    public String peerAddress() {
        return peerAddress;
    }

    /** The server's address of this connection. */
    public String localAddress() {
        return localAddress;
    }

    /** When the connection was accepted. */
    public long createdMillis() {
        return createdMillis;
    }

    /** The RESP version replies are written in: 2 until HELLO 3. */
    public int protocol() {
        return protocol;
    }

    void protocol(int protocol) {
        this.protocol = protocol;
    }

    /** True once the connection may run commands (always, when the server has no password). */
    public boolean authenticated() {
        return authenticated;
    }

    void authenticated(boolean authenticated) {
        this.authenticated = authenticated;
    }

    /** True if the server asks for a password. */
    public boolean authRequired() {
        return authRequired;
    }

    /** The name set by CLIENT SETNAME or HELLO SETNAME; empty if none. */
    public String name() {
        return name;
    }

    void name(String name) {
        this.name = name;
    }

    String libraryName() {
        return libraryName;
    }

    void libraryName(String libraryName) {
        this.libraryName = libraryName;
    }

    String libraryVersion() {
        return libraryVersion;
    }

    void libraryVersion(String libraryVersion) {
        this.libraryVersion = libraryVersion;
    }

    /** Records that {@code command} (its Redis name) is the connection's latest. Its loop only. */
    public void ran(String command) {
        this.lastCommand = command;
    }

    /** Records that the connection sent requests at {@code nowMillis} (once per read, not per request). Its loop only. */
    public void active(long nowMillis) {
        this.lastCommandMillis = nowMillis;
    }

    String lastCommand() {
        return lastCommand;
    }

    long lastCommandMillis() {
        return lastCommandMillis;
    }

    /** True inside MULTI. */
    public boolean inMulti() {
        return queued != null;
    }

    int queuedCount() {
        return queued == null ? -1 : queued.size();
    }

    void startMulti() {
        queued = new ArrayList<>();
        queueFailed = false;
    }

    void queue(Command command) {
        queued.add(command);
    }

    void queueFailed() {
        queueFailed = true;
    }

    boolean queueHasFailed() {
        return queueFailed;
    }

    /** Records that {@code key}, which held {@code state}, is watched (the first state read counts). */
    void watch(ByteBuffer key, WatchedState state) {
        if (watched == null) {
            watched = new HashMap<>();
        }
        watched.putIfAbsent(key, state);
    }

    /** True if the session watches any key. */
    boolean watching() {
        return watched != null;
    }

    /** Marks the session's watch broken: a watched key was written. Any thread. */
    void watchTouched() {
        watchTouched = true;
    }

    /**
     * True if a watched key was written since it was watched, or holds something else in
     * {@code keys} now (written, or expired, since).
     */
    boolean watchBroken(Keys keys) {
        if (watchTouched) {
            return true;
        }
        if (watched != null) {
            for (Map.Entry<ByteBuffer, WatchedState> key : watched.entrySet()) {
                byte[] name = new byte[key.getKey().remaining()];
                key.getKey().duplicate().get(name);
                if (!key.getValue().equals(WatchedState.of(keys.get(name)))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Forgets every watched key; returns them (empty if none), for {@link KeyWatches#unwatch}. */
    Set<ByteBuffer> endWatch() {
        Map<ByteBuffer, WatchedState> keys = watched;
        watched = null;
        watchTouched = false;
        return keys == null ? Set.of() : keys.keySet();
    }

    /** Ends MULTI and returns what was queued. */
    List<Command> endMulti() {
        List<Command> commands = queued;
        queued = null;
        queueFailed = false;
        return commands;
    }

    /** RESET: back to a new connection's state (protocol 2, no name, no MULTI, authenticated only without a password). */
    void reset() {
        protocol = 2;
        name = "";
        queued = null;
        queueFailed = false;
        authenticated = !authRequired;
    }

    /** Asks for the connection to be closed once the current reply is written (QUIT, CLIENT KILL of itself). */
    void closeAfterReply() {
        closeAfterReply = true;
    }

    /** True if the connection is to be closed after the reply just produced. */
    public boolean closeRequested() {
        return closeAfterReply || killed;
    }

    /** Marks the connection to be closed by its loop (CLIENT KILL from another connection). Any thread. */
    public void kill() {
        killed = true;
    }

    /** True if another connection killed this one. */
    public boolean killed() {
        return killed;
    }
}
