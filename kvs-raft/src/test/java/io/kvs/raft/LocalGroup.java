package io.kvs.raft;

import io.kvs.core.EngineKind;
import io.kvs.core.KvStoreOptions;
import io.kvs.core.LoopbackPorts;
import io.kvs.core.SyncPolicy;
import io.kvs.net.KvsServer;
import io.kvs.net.ServerOptions;
import org.apache.ratis.protocol.RaftPeer;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Raft group of kvs nodes in this JVM, each a {@link RaftNode} and a {@link KvsServer} on
 * loopback ports chosen at run time, with data under {@code root}: the fixture of the in-process
 * replication tests. Nodes can be stopped and started again on the same ports and data.
 */
final class LocalGroup implements AutoCloseable {

    static final Duration ELECTION = Duration.ofMillis(500);
    static final Duration REQUEST = Duration.ofSeconds(4);

    private final Path root;
    private List<RaftPeer> peers;
    private final long snapshotEntries;
    private final long segmentBytes;
    private RaftNode[] nodes;
    private KvsServer[] servers;
    private int[] clientPorts;
    private boolean[] joining;

    /** A group of {@code size} with default snapshots. */
    LocalGroup(Path root, int size) {
        this(root, size, RaftNode.Config.SNAPSHOT_ENTRIES_DEFAULT, RaftNode.Config.LOG_SEGMENT_BYTES_DEFAULT);
    }

    LocalGroup(Path root, int size, long snapshotEntries, long segmentBytes) {
        this.root = root;
        this.snapshotEntries = snapshotEntries;
        this.segmentBytes = segmentBytes;
        // One probe for all ports: ports from separate probes may coincide.
        int[] ports = LoopbackPorts.free(2 * size);
        int[] raftPorts = java.util.Arrays.copyOfRange(ports, 0, size);
        this.clientPorts = java.util.Arrays.copyOfRange(ports, size, 2 * size);
        List<RaftPeer> list = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            list.add(RaftPeer.newBuilder().setId(id(i)).setAddress("127.0.0.1:" + raftPorts[i]).build());
        }
        this.peers = List.copyOf(list);
        this.nodes = new RaftNode[size];
        this.servers = new KvsServer[size];
        this.joining = new boolean[size];
        for (int i = 0; i < size; i++) {
            start(i);
        }
    }

    static String id(int i) {
        return "n" + (i + 1);
    }

    int size() {
        return nodes.length;
    }

    /** Starts node {@code i} (again) on its ports and data. */
    void start(int i) {
        RaftNode.Config config = RaftNode.Config.of(id(i), peers, root.resolve(id(i)), EngineKind.KVS,
                        KvStoreOptions.defaults().withSyncPolicy(SyncPolicy.NEVER))
                .withTimeouts(ELECTION, REQUEST).withSnapshots(snapshotEntries, segmentBytes).joining(joining[i]);
        nodes[i] = RaftNode.start(config);
        // Frames up to 64 MiB: room for a request larger than one replicated proposal may be.
        servers[i] = KvsServer.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), clientPorts[i]),
                ServerOptions.defaults().withMaxFrameBytes(64 << 20));
        servers[i].serve(nodes[i].engine(), nodes[i].replication());
    }

    /** Stops node {@code i} (its server, then its Raft node and engine). */
    void stop(int i) {
        if (servers[i] != null) {
            servers[i].close();
            servers[i] = null;
        }
        if (nodes[i] != null) {
            nodes[i].close();
            nodes[i] = null;
        }
    }

    /** Starts one more node, empty, outside the group (--raft-join); returns its index and peer. */
    RaftPeer startJoining() {
        int i = nodes.length;
        int[] ports = LoopbackPorts.free(2);
        RaftPeer peer = RaftPeer.newBuilder().setId(id(i)).setAddress("127.0.0.1:" + ports[0]).build();
        List<RaftPeer> grown = new ArrayList<>(peers);
        grown.add(peer);
        peers = List.copyOf(grown);
        nodes = java.util.Arrays.copyOf(nodes, i + 1);
        servers = java.util.Arrays.copyOf(servers, i + 1);
        clientPorts = java.util.Arrays.copyOf(clientPorts, i + 1);
        clientPorts[i] = ports[1];
        joining = java.util.Arrays.copyOf(joining, i + 1);
        joining[i] = true;
        start(i);
        return peer;
    }

    /** Every peer ever started. */
    List<RaftPeer> peers() {
        return peers;
    }

    RaftNode node(int i) {
        return nodes[i];
    }

    int port(int i) {
        return clientPorts[i];
    }

    /** The index of the leader, waiting up to 20 s for one. */
    int awaitLeader() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            for (int i = 0; i < nodes.length; i++) {
                if (nodes[i] != null && nodes[i].isLeader()) {
                    return i;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no leader within 20 s");
    }

    @Override
    public void close() {
        for (int i = 0; i < nodes.length; i++) {
            stop(i);
        }
    }
}
