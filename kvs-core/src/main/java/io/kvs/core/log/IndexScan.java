package io.kvs.core.log;

import io.kvs.core.Entry;
import io.kvs.core.ScanOrder;
import io.kvs.core.ScanPage;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * One page of a {@link KvStore} scan. Keys are visited in ascending unsigned hash
 * ({@link ScanOrder}); the cursor is the hash the page starts at. Index shards cover consecutive
 * hash ranges, so a page collects the smallest {@code count} hashes at or after the cursor from
 * the cursor's shard (and the next ones if that shard has fewer), then reads each key from its
 * record. A page ends at a hash boundary, and keys that share a hash (the overflow map) are taken
 * with it, so the next cursor, one past the page's last hash, never skips a key.
 *
 * <p>The caller is inside a {@link ReadEpochs} read; a shard's read lock is held for one pass
 * over that shard only.
 */
final class IndexScan {

    private final KeyDir keyDir;
    private final LogReader reader;
    private final KeyHash keyHash;
    private final Clock clock;

    IndexScan(KeyDir keyDir, LogReader reader, KeyHash keyHash, Clock clock) {
        this.keyDir = keyDir;
        this.reader = reader;
        this.keyHash = keyHash;
        this.clock = clock;
    }

    ScanPage page(long cursor, int count, byte[] prefix) {
        long now = clock.millis();
        List<byte[]> keys = new ArrayList<>();
        long[] hashes = new long[count];
        long[] locations = new long[count];
        byte[] scratch = new byte[RecordDescriptor.HEADER_LENGTH];
        int examined = 0;
        long from = cursor;
        for (int shard = KeyIndex.shardOf(cursor); shard < KeyIndex.SHARDS; shard++) {
            int wanted = count - examined;
            int found = keyDir.index().collect(shard, from, wanted, hashes, locations);
            boolean full = found == wanted;
            long last = full ? hashes[found - 1]
                    : shard == KeyIndex.SHARDS - 1 ? -1L : KeyIndex.shardStart(shard + 1) - 1;
            for (int i = 0; i < found; i++) {
                // The key may have moved (compaction) or been replaced since the shard was read.
                long location = keyDir.index().get(hashes[i]);
                if (location != Location.NONE) {
                    byte[] key = reader.keyIfLiveAt(location, now, scratch);
                    if (key != null && ScanOrder.hasPrefix(key, prefix)) {
                        keys.add(key);
                    }
                }
            }
            long low = from;
            keyDir.overflowKeys(keyHash,
                    hash -> Long.compareUnsigned(hash, low) >= 0 && Long.compareUnsigned(hash, last) <= 0,
                    (key, hash, location) -> offer(key.clone(), location, prefix, now, keys));
            examined += found;
            if (full) {
                return new ScanPage(keys, ScanOrder.after(last));
            }
            from = shard == KeyIndex.SHARDS - 1 ? 0 : KeyIndex.shardStart(shard + 1);
        }
        return new ScanPage(keys, ScanPage.DONE);
    }

    private void offer(byte[] key, long location, byte[] prefix, long now, List<byte[]> keys) {
        if (!ScanOrder.hasPrefix(key, prefix)) {
            return;
        }
        long expiresAt = reader.expiryAt(location, key.length);
        if (expiresAt != Entry.NO_EXPIRY && expiresAt <= now) {
            return;
        }
        keys.add(key);
    }
}
