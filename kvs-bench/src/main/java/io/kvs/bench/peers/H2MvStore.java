package io.kvs.bench.peers;

import io.kvs.bench.BenchStore;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.type.ByteArrayDataType;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * H2's MVStore in the file {@value #FILE_NAME}: {@code new MVStore.Builder().fileName(file).open()}
 * with the builder's defaults (auto-commit on, no compression, the default cache), and one
 * {@code MVMap} whose key and value types are {@code ByteArrayDataType} rather than the generic
 * default {@code ObjectDataType}, to store UTF-8 bytes like the other peers. Durability: a put
 * changes the map in memory; MVStore's background thread writes the changes to the file about
 * once a second (auto-commit delay 1,000 ms), or sooner when enough are unsaved, so a crash loses
 * up to the last second of puts; a commit does not sync the file. {@link #close()} writes
 * everything. Thread-safe.
 */
final class H2MvStore extends ConcurrentMapStore {

    /** The store's file in the store directory. */
    static final String FILE_NAME = "h2.mv";
    /** The map's name in the store. */
    static final String MAP_NAME = "kvs-bench";

    private final MVStore store;
    private final MVMap<byte[], byte[]> map;

    private H2MvStore(MVStore store) {
        this(store, store.openMap(MAP_NAME, new MVMap.Builder<byte[], byte[]>()
                .keyType(ByteArrayDataType.INSTANCE)
                .valueType(ByteArrayDataType.INSTANCE)));
    }

    private H2MvStore(MVStore store, MVMap<byte[], byte[]> map) {
        super(map);
        this.store = store;
        this.map = map;
    }

    static BenchStore open(Path dir) {
        return new H2MvStore(new MVStore.Builder().fileName(dir.resolve(FILE_NAME).toString()).open());
    }



    /** The puts, then one {@code MVStore.commit()}: the new version is written as one chunk. */
    @Override
    public void setAtomically(String[] keys, String value) {
        byte[] v = value.getBytes(StandardCharsets.UTF_8);
        for (String key : keys) {
            map.put(key.getBytes(StandardCharsets.UTF_8), v);
        }
        store.commit();
    }


    /** The map's key iterator, in key order. */
    @Override
    public long scanAll() {
        return Counters.count(map.keyIterator(null));
    }

    @Override
    public void close() {
        store.close();
    }
}
