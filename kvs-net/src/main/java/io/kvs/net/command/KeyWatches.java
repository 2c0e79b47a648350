package io.kvs.net.command;

import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The keys sessions WATCH, and which sessions watch each (Redis's check-and-set): a write to a
 * watched key marks its watchers, so that their next EXEC aborts, even if the write left the
 * value as it was (as Redis's SET does). {@link EngineKeys} reports a write before it is made and
 * again after: the first report reaches an EXEC that checks after it (the EXEC holds the
 * engine's write lock while it checks and runs, so the write waits for it), the second a WATCH
 * registered while the write was being made. A read-modify-write that changes nothing (SET NX of
 * a present key, DEL of a missing one) reports nothing. What a report can miss (a write begun
 * before the key's first watcher registered) EXEC still finds by comparing what the key holds
 * with what WATCH read ({@link WatchedState}). Thread-safe.
 */
public final class KeyWatches {

    private final ConcurrentHashMap<ByteBuffer, Set<Session>> watchers = new ConcurrentHashMap<>();
    /** How many keys are watched: with none, a write costs one read of this. */
    private final AtomicInteger watchedKeys = new AtomicInteger();

    /** Registers {@code session} as a watcher of {@code key}. */
    void watch(Session session, ByteBuffer key) {
        watchers.compute(key, (k, sessions) -> {
            if (sessions == null) {
                sessions = ConcurrentHashMap.newKeySet();
                watchedKeys.incrementAndGet();
            }
            sessions.add(session);
            return sessions;
        });
    }

    /** Removes {@code session} as a watcher of {@code keys}. */
    void unwatch(Session session, Collection<ByteBuffer> keys) {
        for (ByteBuffer key : keys) {
            watchers.computeIfPresent(key, (k, sessions) -> {
                sessions.remove(session);
                if (sessions.isEmpty()) {
                    watchedKeys.decrementAndGet();
                    return null;
                }
                return sessions;
            });
        }
    }

    /** True if any key is watched. */
    boolean any() {
        return watchedKeys.get() != 0;
    }

    /** Marks every watcher of {@code key}: it is being, or has just been, written. */
    void written(byte[] key) {
        if (!any()) {
            return;
        }
        Set<Session> sessions = watchers.get(ByteBuffer.wrap(key));
        if (sessions != null) {
            for (Session session : sessions) {
                session.watchTouched();
            }
        }
    }
}
