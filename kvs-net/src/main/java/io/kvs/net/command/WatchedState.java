package io.kvs.net.command;

import io.kvs.core.Entry;

import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * What a watched key held when WATCH read it: whether it was there, its value's length and
 * CRC32C, and its expiry. EXEC compares it with what the key holds then, under the engine's
 * write lock, so that a write no report of {@link KeyWatches} reached in time still aborts it,
 * and so does an expiry (the key is then gone).
 */
record WatchedState(boolean present, int length, int checksum, long expiresAtMillis) {

    private static final WatchedState ABSENT = new WatchedState(false, 0, 0, 0);

    /** The state of a key whose live entry is {@code entry} (empty: no key). */
    static WatchedState of(Optional<Entry> entry) {
        if (entry.isEmpty()) {
            return ABSENT;
        }
        byte[] value = entry.get().value();
        CRC32C crc = new CRC32C();
        crc.update(value);
        return new WatchedState(true, value.length, (int) crc.getValue(), entry.get().expiresAtMillis());
    }
}
