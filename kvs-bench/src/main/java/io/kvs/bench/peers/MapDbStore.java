package io.kvs.bench.peers;

import io.kvs.bench.BenchStore;
import org.mapdb.DB;
import org.mapdb.DBMaker;
import org.mapdb.Serializer;

import java.nio.file.Path;

/**
 * MapDB's {@code HTreeMap} in the file {@value #FILE_NAME}: {@code DBMaker.fileDB(file).make()}
 * with the defaults (a {@code RandomAccessFile} store, no transactions, thread-safe) and
 * {@code db.hashMap(name, BYTE_ARRAY, BYTE_ARRAY)}: MapDB's default serializer is its own
 * object serializer, so the byte-array serializers are the one choice made, to store UTF-8 bytes
 * like the other peers. Durability: without {@code transactionEnable()} a put writes the file in
 * place and nothing is synced; only {@link #close()} makes the file consistent: after a crash
 * MapDB's header checksum no longer matches and it refuses to open the file (its documentation:
 * the store may be corrupted). Thread-safe.
 */
final class MapDbStore extends ConcurrentMapStore {

    /** The store's file in the store directory. */
    static final String FILE_NAME = "mapdb.db";
    /** The map's name in the file. */
    static final String MAP_NAME = "kvs-bench";

    private final DB db;

    private MapDbStore(DB db) {
        super(db.hashMap(MAP_NAME, Serializer.BYTE_ARRAY, Serializer.BYTE_ARRAY).createOrOpen());
        this.db = db;
    }

    static BenchStore open(Path dir) {
        return new MapDbStore(DBMaker.fileDB(dir.resolve(FILE_NAME).toFile()).make());
    }





    @Override
    public void close() {
        db.close();
    }
}
