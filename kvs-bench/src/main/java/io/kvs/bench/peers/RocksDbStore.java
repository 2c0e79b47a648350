package io.kvs.bench.peers;

import io.kvs.bench.BenchStore;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;

/**
 * RocksDB through rocksdbjni: {@code RocksDB.open(options, dir)} with default {@code Options}
 * except {@code setCreateIfMissing(true)}, without which RocksDB refuses a new directory, and the
 * default {@code WriteOptions} and {@code ReadOptions} of {@code put} and {@code get}.
 * Durability: every put is appended to the write-ahead log with {@code sync=false}, so it
 * survives a crash of the process (the log is in the kernel's page cache) but not necessarily a
 * power loss. The native library ships in the rocksdbjni jar (Linux x86-64 and other Linux
 * architectures) and is extracted to {@code java.io.tmpdir} on first use. Thread-safe.
 */
final class RocksDbStore implements BenchStore {

    static {
        RocksDB.loadLibrary();
    }

    private final Options options;
    private final RocksDB db;

    private RocksDbStore(Options options, RocksDB db) {
        this.options = options;
        this.db = db;
    }

    static BenchStore open(Path dir) {
        Options options = new Options().setCreateIfMissing(true);
        try {
            return new RocksDbStore(options, RocksDB.open(options, dir.toString()));
        } catch (RocksDBException e) {
            options.close();
            throw new PeerException("rocksdb: cannot open " + dir + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void set(String key, String value) {
        try {
            db.put(key.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
        } catch (RocksDBException e) {
            throw new PeerException("rocksdb: put failed: " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<String> get(String key) {
        byte[] value;
        try {
            value = db.get(key.getBytes(StandardCharsets.UTF_8));
        } catch (RocksDBException e) {
            throw new PeerException("rocksdb: get failed: " + e.getMessage(), e);
        }
        return value == null ? Optional.empty() : Optional.of(new String(value, StandardCharsets.UTF_8));
    }

    /** One {@code WriteBatch}, written with the default {@code WriteOptions}: atomic in RocksDB. */
    @Override
    public void setAtomically(String[] keys, String value) {
        byte[] v = value.getBytes(StandardCharsets.UTF_8);
        try (WriteBatch batch = new WriteBatch(); WriteOptions write = new WriteOptions()) {
            for (String key : keys) {
                batch.put(key.getBytes(StandardCharsets.UTF_8), v);
            }
            db.write(write, batch);
        } catch (RocksDBException e) {
            throw new PeerException("rocksdb: batch write failed: " + e.getMessage(), e);
        }
    }

    /** A {@code RocksIterator} from the first key to the last. */
    @Override
    public long scanAll() {
        long count = 0;
        try (RocksIterator it = db.newIterator()) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                count++;
            }
        }
        return count;
    }

    @Override
    public void close() {
        // RocksObject.close() is idempotent; the database goes before the options it was opened with.
        db.close();
        options.close();
    }
}
