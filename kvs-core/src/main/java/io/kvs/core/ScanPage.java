package io.kvs.core;

import java.util.List;

/**
 * One page of a {@link KvsEngine#scan}: the live keys found, and the cursor to pass to the next
 * call, {@link #DONE} when the scan has covered every key. A page may hold fewer keys than were
 * asked for, even none, before the scan is done (the keys examined did not match the prefix,
 * or had expired).
 *
 * @param keys   the keys of this page (each array owned by the caller)
 * @param cursor where the next page starts; {@link #DONE} after the last page
 */
public record ScanPage(List<byte[]> keys, long cursor) {

    /** The cursor that starts a scan, and that the last page returns. */
    public static final long DONE = 0;

    public ScanPage {
        keys = List.copyOf(keys);
    }

    /** True if this was the last page. */
    public boolean done() {
        return cursor == DONE;
    }
}
