package io.kvs.bench.peers;

import io.kvs.bench.BenchStore;
import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.ChronicleMapBuilder;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Chronicle Map persisted to {@value #FILE_NAME}: {@code ChronicleMapBuilder.of(byte[], byte[])}
 * with the builder's defaults except what it makes the caller choose. Chronicle Map has no default
 * for the sizes of variable-length keys and values, so {@link #AVERAGE_KEY_BYTES} and
 * {@link #AVERAGE_VALUE_BYTES} are those of the benchmarks' entries; {@link #ENTRIES}, which its
 * documentation says to set to the most entries the map will hold, is left at its default of 2^20,
 * the largest store a benchmark fills ({@code maxBloatFactor} stays 1.0, so that is also the
 * limit). Durability: the file is memory-mapped and a put writes the mapping, so it survives a
 * crash of the process, but nothing is synced; the kernel writes the pages back when it chooses,
 * and a power loss can lose them. Thread-safe (segment locks).
 */
final class ChronicleMapStore extends ConcurrentMapStore {

    /** The map's file in the store directory. */
    static final String FILE_NAME = "chronicle.map";
    /** The most entries the map holds: Chronicle Map's default target, 2^20. */
    static final long ENTRIES = 1L << 20;
    /** Average key size in bytes: {@code key0} … {@code key1048575} are 4 to 10 bytes. */
    static final double AVERAGE_KEY_BYTES = 10;
    /** Average value size in bytes: the benchmarks' values, {@code value} and {@code value-2}. */
    static final double AVERAGE_VALUE_BYTES = 6;

    private final ChronicleMap<byte[], byte[]> map;

    private ChronicleMapStore(ChronicleMap<byte[], byte[]> map) {
        super(map);
        this.map = map;
    }

    static BenchStore open(Path dir) {
        Path file = dir.resolve(FILE_NAME);
        try {
            return new ChronicleMapStore(ChronicleMapBuilder.of(byte[].class, byte[].class)
                    .name("kvs-bench")
                    .entries(ENTRIES)
                    .averageKeySize(AVERAGE_KEY_BYTES)
                    .averageValueSize(AVERAGE_VALUE_BYTES)
                    .createPersistedTo(file.toFile()));
        } catch (IOException e) {
            throw new PeerException("chronicle-map: cannot create " + file + ": " + e.getMessage(), e);
        }
    }





    @Override
    public void close() {
        map.close();
    }
}
