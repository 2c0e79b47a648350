package io.kvs.bench.peers;

import io.kvs.bench.BenchStore;
import org.lmdbjava.Dbi;
import org.lmdbjava.DbiFlags;
import org.lmdbjava.Env;
import org.lmdbjava.Txn;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;

/**
 * LMDB through lmdbjava: {@code Env.create()} (direct {@code ByteBuffer}s, lmdbjava's default
 * buffer proxy) opened with no flags, and one named database. LMDB's map size is the most the
 * database can ever hold and lmdbjava's default is 1 MiB, too small for 2^20 entries, so it is
 * set to {@link #MAP_SIZE_BYTES} (address space only: the file grows as pages are used).
 * {@link #set} is lmdbjava's {@code Dbi.put(key, value)}, one write transaction per put;
 * {@link #get} runs in its own read transaction and copies the value out before it ends.
 * Durability: with no flags (no {@code MDB_NOSYNC} or {@code MDB_NOMETASYNC}) every commit
 * flushes the data and the meta page to disk before it returns, so an acknowledged put survives
 * a power loss, and costs a sync. {@link #load} therefore commits every {@value #LOAD_BATCH_KEYS}
 * keys rather than every key. Needs the JVM flags of {@link Peer#jvmFlags()}. Thread-safe: each
 * thread has its own key and value buffers, and transactions never cross threads.
 */
final class LmdbStore implements BenchStore {

    /** LMDB's map size: 1 GiB, the most this store can hold. */
    static final long MAP_SIZE_BYTES = 1L << 30;
    /** The named database inside the environment. */
    static final String DATABASE_NAME = "kvs-bench";
    /** Keys per write transaction in {@link #load}. */
    static final int LOAD_BATCH_KEYS = 1 << 16;

    private final Env<ByteBuffer> env;
    private final Dbi<ByteBuffer> dbi;
    private final ThreadLocal<Buffers> buffers;

    private LmdbStore(Env<ByteBuffer> env) {
        this.env = env;
        this.dbi = env.openDbi(DATABASE_NAME, DbiFlags.MDB_CREATE);
        int maxKeyBytes = env.getMaxKeySize();
        this.buffers = ThreadLocal.withInitial(() -> new Buffers(maxKeyBytes));
    }

    static BenchStore open(Path dir) {
        return new LmdbStore(Env.create().setMapSize(MAP_SIZE_BYTES).setMaxDbs(1).open(dir.toFile()));
    }

    @Override
    public void set(String key, String value) {
        Buffers buffer = buffers.get();
        dbi.put(buffer.key(key), buffer.value(value));
    }

    @Override
    public Optional<String> get(String key) {
        ByteBuffer keyBuffer = buffers.get().key(key);
        try (Txn<ByteBuffer> txn = env.txnRead()) {
            ByteBuffer found = dbi.get(txn, keyBuffer);
            if (found == null) {
                return Optional.empty();
            }
            // found points into the map, valid only while the transaction is open.
            byte[] value = new byte[found.remaining()];
            found.get(value);
            return Optional.of(new String(value, StandardCharsets.UTF_8));
        }
    }

    @Override
    public void load(String[] keys, String value) {
        Buffers buffer = buffers.get();
        ByteBuffer valueBuffer = buffer.value(value);
        for (int first = 0; first < keys.length; first += LOAD_BATCH_KEYS) {
            int end = Math.min(keys.length, first + LOAD_BATCH_KEYS);
            try (Txn<ByteBuffer> txn = env.txnWrite()) {
                for (int i = first; i < end; i++) {
                    dbi.put(txn, buffer.key(keys[i]), valueBuffer);
                }
                txn.commit();
            }
        }
    }

    /** One write transaction (committed, so synced by LMDB's default). */
    @Override
    public void setAtomically(String[] keys, String value) {
        Buffers buffer = buffers.get();
        ByteBuffer valueBuffer = buffer.value(value);
        try (Txn<ByteBuffer> txn = env.txnWrite()) {
            for (String key : keys) {
                dbi.put(txn, buffer.key(key), valueBuffer);
            }
            txn.commit();
        }
    }

    /** A get and a put in one write transaction: LMDB runs one writer at a time. */
    @Override
    public long increment(String key) {
        Buffers buffer = buffers.get();
        try (Txn<ByteBuffer> txn = env.txnWrite()) {
            ByteBuffer found = dbi.get(txn, buffer.key(key));
            byte[] current = null;
            if (found != null) {
                current = new byte[found.remaining()];
                found.get(current);
            }
            byte[] next = Counters.next(current);
            dbi.put(txn, buffer.key(key), buffer.value(new String(next, StandardCharsets.UTF_8)));
            txn.commit();
            return Counters.value(next);
        }
    }

    /** A cursor over the whole database in one read transaction. */
    @Override
    public long scanAll() {
        long count = 0;
        try (Txn<ByteBuffer> txn = env.txnRead(); org.lmdbjava.Cursor<ByteBuffer> cursor = dbi.openCursor(txn)) {
            for (boolean more = cursor.first(); more; more = cursor.next()) {
                count++;
            }
        }
        return count;
    }

    @Override
    public void close() {
        // Env.close() is idempotent; LMDB closes the database handle with the environment.
        env.close();
    }

    /**
     * One thread's direct buffers for the key and value LMDB reads from: the key one holds the
     * largest key LMDB accepts, the value one grows to the largest value set so far.
     */
    private static final class Buffers {
        private final ByteBuffer key;
        private ByteBuffer value = ByteBuffer.allocateDirect(64);

        Buffers(int maxKeyBytes) {
            key = ByteBuffer.allocateDirect(maxKeyBytes);
        }

        ByteBuffer key(String text) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            if (bytes.length > key.capacity()) {
                throw new IllegalArgumentException("lmdb: key of " + bytes.length + " bytes is over LMDB's limit of " + key.capacity());
            }
            key.clear().put(bytes).flip();
            return key;
        }

        ByteBuffer value(String text) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            if (bytes.length > value.capacity()) {
                value = ByteBuffer.allocateDirect(Math.max(bytes.length, 2 * value.capacity()));
            }
            value.clear().put(bytes).flip();
            return value;
        }
    }
}
