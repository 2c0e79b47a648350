package io.kvs.bench.peers;

import io.kvs.bench.BenchStore;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;

/**
 * The peers by the name a benchmark's {@code engine} parameter gives them, and how to open each.
 * The one place that maps peer names to classes; the JVM flags the peers need come from one list,
 * the resource {@value #FLAGS_RESOURCE_NAME} beside this class. Immutable.
 */
public enum Peer {

    /** Chronicle Map, a persisted off-heap hash map: {@link ChronicleMapStore}. */
    CHRONICLE_MAP("chronicle-map", ChronicleMapStore::open),
    /** LMDB through lmdbjava, a memory-mapped B+tree: {@link LmdbStore}. */
    LMDB("lmdb", LmdbStore::open),
    /** RocksDB through rocksdbjni, an LSM tree: {@link RocksDbStore}. */
    ROCKSDB("rocksdb", RocksDbStore::open),
    /** MapDB's file-backed {@code HTreeMap}: {@link MapDbStore}. */
    MAPDB("mapdb", MapDbStore::open),
    /** H2's MVStore, a log-structured B-tree store: {@link H2MvStore}. */
    H2("h2", H2MvStore::open);

    /** The resource, beside this class, listing the JVM flags the peers need. */
    public static final String FLAGS_RESOURCE_NAME = "jvm-flags.properties";
    /** The key of that list in {@value #FLAGS_RESOURCE_NAME}. */
    static final String FLAGS_KEY = "kvs.bench.peers.jvm.flags";

    private final String peerName;
    private final Function<Path, BenchStore> opener;

    Peer(String peerName, Function<Path, BenchStore> opener) {
        this.peerName = peerName;
        this.opener = opener;
    }

    /** The name the benchmarks' {@code engine} parameter uses. */
    public String peerName() {
        return peerName;
    }

    /**
     * Opens this peer in {@code dir}, an existing directory it may fill with its own files, with
     * the configuration its class documents.
     *
     * @throws PeerException if the peer's library fails to open the store
     */
    public BenchStore open(Path dir) {
        return opener.apply(dir);
    }

    /** The peer named {@code name}, or empty if there is none. */
    public static Optional<Peer> named(String name) {
        return Arrays.stream(values()).filter(peer -> peer.peerName.equals(name)).findFirst();
    }

    /** Every peer name, in declaration order. */
    public static List<String> names() {
        return Arrays.stream(values()).map(Peer::peerName).toList();
    }

    /**
     * The flags a JVM that opens the peers needs on top of kvs-core's (Chronicle Map defines
     * classes it compiles at run time; lmdbjava reads direct buffers' addresses), as the java
     * command line takes them.
     */
    public static List<String> jvmFlags() {
        Properties properties = new Properties();
        try (InputStream in = Peer.class.getResourceAsStream(FLAGS_RESOURCE_NAME)) {
            if (in == null) {
                throw new IllegalStateException("resource " + FLAGS_RESOURCE_NAME + " is missing beside " + Peer.class.getName());
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read resource " + FLAGS_RESOURCE_NAME, e);
        }
        String flags = properties.getProperty(FLAGS_KEY);
        if (flags == null) {
            throw new IllegalStateException(FLAGS_RESOURCE_NAME + " has no " + FLAGS_KEY);
        }
        String trimmed = flags.trim();
        return trimmed.isEmpty() ? List.of() : List.of(trimmed.split("\\s+"));
    }
}
