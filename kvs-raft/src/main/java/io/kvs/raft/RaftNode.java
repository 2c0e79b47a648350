package io.kvs.raft;

import io.kvs.core.EngineKind;
import io.kvs.core.KvStoreOptions;
import io.kvs.core.KvsEngine;
import io.kvs.core.KvsException;
import io.kvs.net.command.Replication;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One member of a replicated kvs group: its engine, the Ratis server that replicates the log
 * into it ({@link KvsStateMachine}), and the {@link Replication} kvs-server submits its data
 * commands to. The Raft storage lives in {@code raft/} under the data directory, beside the
 * engine's files.
 */
public final class RaftNode implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RaftNode.class);
    /** Every kvs group has this id: the peers, not the id, tell groups apart. */
    static final RaftGroupId GROUP_ID = RaftGroupId.valueOf(UUID.fromString("6b767300-7261-6674-0000-000000000001"));
    /** How often the leader checks whether the replicated clock needs a tick. */
    static final long TICK_MILLIS = 100;

    /**
     * How a node is set up.
     *
     * @param nodeId this node's id in {@code peers}
     * @param peers every member of the group, this node included
     * @param dataDir the data directory (the engine's files, and {@code raft/})
     * @param engine the engine applying the log
     * @param storeOptions the engine's options (its clock is replaced by the replicated one)
     * @param electionTimeout the shortest election timeout (the longest is twice that)
     * @param requestTimeout how long a request waits for a majority before {@code TRYAGAIN}
     * @param snapshotEntries entries applied between automatic snapshots
     * @param logSegmentBytes size of a Raft log segment file (only whole segments are purged after a snapshot)
     * @param join true for a new node that starts outside the group and waits to be added
     *             ({@link RaftMembership#add}); its address is its entry in {@code peers}
     */
    public record Config(String nodeId, List<RaftPeer> peers, Path dataDir, EngineKind engine, KvStoreOptions storeOptions,
                         Duration electionTimeout, Duration requestTimeout, long snapshotEntries, long logSegmentBytes,
                         boolean join) {

        /**
         * The shortest election timeout by default: 750 ms, the longest 1.5 s (Ratis's 150 to 300 ms
         * loses leaders on a loaded machine; longer makes failover slower).
         */
        public static final Duration ELECTION_TIMEOUT_DEFAULT = Duration.ofMillis(500);
        /** How long a request waits for the group by default. */
        public static final Duration REQUEST_TIMEOUT_DEFAULT = Duration.ofSeconds(10);
        /** Entries between snapshots by default. */
        public static final long SNAPSHOT_ENTRIES_DEFAULT = 100_000;
        /** Raft log segment size by default. */
        public static final long LOG_SEGMENT_BYTES_DEFAULT = 64L * 1024 * 1024;

        public Config {
            Objects.requireNonNull(nodeId, "nodeId");
            peers = List.copyOf(peers);
            if (peers.stream().noneMatch(peer -> peer.getId().toString().equals(nodeId))) {
                throw new IllegalArgumentException("node id '" + nodeId + "' is not among the Raft peers "
                        + RaftPeers.format(peers));
            }
        }

        /** A node with the default timeouts and snapshot interval. */
        public static Config of(String nodeId, List<RaftPeer> peers, Path dataDir, EngineKind engine, KvStoreOptions options) {
            return new Config(nodeId, peers, dataDir, engine, options, ELECTION_TIMEOUT_DEFAULT, REQUEST_TIMEOUT_DEFAULT,
                    SNAPSHOT_ENTRIES_DEFAULT, LOG_SEGMENT_BYTES_DEFAULT, false);
        }

        /** A copy with other timeouts. */
        public Config withTimeouts(Duration election, Duration request) {
            return new Config(nodeId, peers, dataDir, engine, storeOptions, election, request, snapshotEntries,
                    logSegmentBytes, join);
        }

        /** A copy with another snapshot interval and log segment size. */
        public Config withSnapshots(long entries, long segmentBytes) {
            return new Config(nodeId, peers, dataDir, engine, storeOptions, electionTimeout, requestTimeout, entries,
                    segmentBytes, join);
        }

        /** A copy for a node that joins a running group (true) or starts as a member (false). */
        public Config joining(boolean joins) {
            return new Config(nodeId, peers, dataDir, engine, storeOptions, electionTimeout, requestTimeout, snapshotEntries,
                    logSegmentBytes, joins);
        }

        RaftPeer self() {
            return peers.stream().filter(peer -> peer.getId().toString().equals(nodeId)).findFirst().orElseThrow();
        }
    }

    private final Config config;
    private final KvsStateMachine stateMachine;
    private final RaftServer server;
    private final RaftClient client;
    private final RaftReplication replication;
    private final ScheduledExecutorService ticker;

    private RaftNode(Config config, KvsStateMachine stateMachine, RaftServer server, RaftClient client) {
        this.config = config;
        this.stateMachine = stateMachine;
        this.server = server;
        this.client = client;
        RaftPeerId self = RaftPeerId.valueOf(config.nodeId());
        this.replication = new RaftReplication(client, new LocalRequests(server, self), self,
                config.requestTimeout().toMillis(), this::info, this::unavailableBecause);
        this.ticker = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "kvs-raft-tick");
            thread.setDaemon(true);
            return thread;
        });
        ticker.scheduleWithFixedDelay(this::tickIfDue, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    /**
     * Opens the engine, starts the Raft server (joining the group, or recovering its log) and a
     * client for this node's requests.
     *
     * @throws KvsException if the node cannot start (the engine, the storage, the Raft port)
     */
    public static RaftNode start(Config config) {
        Path raftDir = config.dataDir().resolve(KvsStateMachine.RAFT_DIR);
        try {
            Files.createDirectories(raftDir);
        } catch (IOException e) {
            throw new KvsException("cannot create the Raft storage " + raftDir + ": " + e.getMessage(), e);
        }
        checkRaftPortFree(config.self());
        if (ForkJoinPool.getCommonPoolParallelism() < CommonPoolParallelism.PARALLELISM_MIN) {
            LOG.warn("the common fork-join pool has parallelism {}: Ratis's asynchronous tasks each start a thread; "
                    + "call CommonPoolParallelism.ensure() first thing in main, or set -D{}={}",
                    ForkJoinPool.getCommonPoolParallelism(), CommonPoolParallelism.PARALLELISM_PROP_NAME,
                    CommonPoolParallelism.PARALLELISM_MIN);
        }
        KvsStateMachine stateMachine = new KvsStateMachine(config.dataDir(), config.engine(), config.storeOptions());
        RaftGroup group = RaftGroup.valueOf(GROUP_ID, config.peers());
        RaftServer server = null;
        try {
            // A joining node starts with no members: it must not hold elections in a group that
            // does not know it yet. On a restart the configuration it stored wins either way.
            server = RaftServer.newBuilder()
                    .setServerId(RaftPeerId.valueOf(config.nodeId()))
                    .setGroup(config.join() ? RaftGroup.valueOf(GROUP_ID) : group)
                    .setStateMachine(stateMachine)
                    .setProperties(serverProperties(config, raftDir))
                    .setOption(RaftStorage.StartupOption.RECOVER)
                    .build();
            server.start();
        } catch (IOException | RuntimeException e) {
            closeQuietly(server);
            try {
                stateMachine.close();
            } catch (IOException | RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw new KvsException("cannot start Raft node " + config.nodeId() + " on " + config.self().getAddress()
                    + ": " + e.getMessage(), e);
        }
        RaftProperties clientProperties = new RaftProperties();
        RaftClientConfigKeys.Rpc.setRequestTimeout(clientProperties, TimeDuration.valueOf(3, TimeUnit.SECONDS));
        // Ratis's first request of a client is a dummy watch that can wait out its 10 s timeout
        // before a leader has committed its term; the ordered requests behind it would wait too.
        RaftClientConfigKeys.Async.Experimental.setSendDummyRequest(clientProperties, false);
        long attempts = Math.max(1, config.requestTimeout().toMillis() / 50);
        RaftClient client = RaftClient.newBuilder()
                .setRaftGroup(group)
                .setProperties(clientProperties)
                .setRetryPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep((int) Math.min(Integer.MAX_VALUE, attempts),
                        TimeDuration.valueOf(50, TimeUnit.MILLISECONDS)))
                .build();
        LOG.info("Raft node {} started on {} in group {}", config.nodeId(), config.self().getAddress(),
                RaftPeers.format(config.peers()));
        return new RaftNode(config, stateMachine, server, client);
    }

    /**
     * Fails with a sentence if this node's Raft port is taken: Ratis would end the whole process
     * (exit status 1, "Failed to start Grpc server") instead.
     */
    private static void checkRaftPortFree(RaftPeer self) {
        java.net.InetSocketAddress address = new java.net.InetSocketAddress(RaftPeers.host(self), RaftPeers.port(self));
        try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(address);
        } catch (IOException e) {
            throw new KvsException("cannot listen on the Raft port " + self.getAddress() + " of node " + self.getId()
                    + ": " + e.getMessage(), e);
        }
    }

    private static RaftProperties serverProperties(Config config, Path raftDir) {
        RaftProperties properties = new RaftProperties();
        RaftServerConfigKeys.setStorageDir(properties, List.of(raftDir.toFile()));
        RaftPeer self = config.self();
        GrpcConfigKeys.Server.setHost(properties, RaftPeers.host(self));
        GrpcConfigKeys.Server.setPort(properties, RaftPeers.port(self));
        long election = config.electionTimeout().toMillis();
        RaftServerConfigKeys.Rpc.setTimeoutMin(properties, TimeDuration.valueOf(election, TimeUnit.MILLISECONDS));
        RaftServerConfigKeys.Rpc.setTimeoutMax(properties, TimeDuration.valueOf(2 * election, TimeUnit.MILLISECONDS));
        RaftServerConfigKeys.setStagingTimeout(properties, TimeDuration.valueOf(6 * election, TimeUnit.MILLISECONDS));
        RaftServerConfigKeys.Read.setOption(properties, RaftServerConfigKeys.Read.Option.LINEARIZABLE);
        RaftServerConfigKeys.Read.setLeaderLeaseEnabled(properties, true);
        RaftServerConfigKeys.Read.setTimeout(properties, TimeDuration.valueOf(config.requestTimeout().toMillis(),
                TimeUnit.MILLISECONDS));
        RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(properties, true);
        RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(properties, config.snapshotEntries());
        RaftServerConfigKeys.Snapshot.setRetentionFileNum(properties, 2);
        // Ratis would follow each commit with an entry of its own recording the commit index (an
        // extra append and sync per write when writes come one at a time); a restarted node
        // learns the commit index from the leader instead.
        RaftServerConfigKeys.Log.setLogMetadataEnabled(properties, false);
        RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(properties, true);
        RaftServerConfigKeys.Log.setPurgeGap(properties, (int) Math.min(1024, Math.max(1, config.snapshotEntries() / 4)));
        // The largest proposal (a 16 MiB SET) must fit in one log entry, its buffers and one message.
        SizeInBytes entryMax = SizeInBytes.valueOf(RaftReplication.PROPOSAL_BYTES_MAX + (4 << 20) + "");
        RaftServerConfigKeys.Log.Appender.setBufferByteLimit(properties, entryMax);
        RaftServerConfigKeys.Log.setWriteBufferSize(properties, SizeInBytes.valueOf(entryMax.getSize() + 1024 + ""));
        RaftServerConfigKeys.Log.setSegmentSizeMax(properties, SizeInBytes.valueOf(config.logSegmentBytes() + ""));
        GrpcConfigKeys.setMessageSizeMax(properties, SizeInBytes.valueOf("96MB"));
        return properties;
    }

    /** The engine the server reads (stats, INFO) and the log is applied to. */
    public KvsEngine engine() {
        return stateMachine.engine();
    }

    /** Where kvs-server submits data commands. */
    public Replication replication() {
        return replication;
    }

    /** INFO's {@code # Raft} fields. */
    public Map<String, String> info() {
        Map<String, String> info = new LinkedHashMap<>();
        info.put("raft_node_id", config.nodeId());
        try {
            RaftServer.Division division = server.getDivision(GROUP_ID);
            DivisionInfo state = division.getInfo();
            info.put("raft_role", state.getCurrentRole().name().toLowerCase(java.util.Locale.ROOT));
            info.put("raft_leader_id", state.getLeaderId() == null ? "" : state.getLeaderId().toString());
            info.put("raft_term", Long.toString(state.getCurrentTerm()));
            info.put("raft_commit_index", Long.toString(division.getRaftLog().getLastCommittedIndex()));
            info.put("raft_applied_index", Long.toString(state.getLastAppliedIndex()));
            info.put("raft_peers", RaftPeers.format(division.getRaftConf().getCurrentPeers()));
        } catch (IOException | RuntimeException e) {
            info.put("raft_role", "unavailable");
            info.put("raft_error", String.valueOf(e.getMessage()));
        }
        return info;
    }

    /**
     * Why this node cannot serve at all, if it is a state a retry will not change: its part of
     * the group is closed (it was removed, or failed); null otherwise.
     */
    String unavailableBecause() {
        try {
            if (server.getDivision(GROUP_ID).getInfo().isAlive()) {
                return null;
            }
        } catch (IOException | RuntimeException e) {
            // No division for the group any more.
        }
        return "node " + config.nodeId() + " is no longer serving the Raft group (it was removed from it, or its"
                + " Raft part stopped: see its log); stop it, or restart it to rejoin";
    }

    /** This node's Ratis server (tests). */
    RaftServer server() {
        return server;
    }

    /** True if this node leads the group now. */
    public boolean isLeader() {
        try {
            return server.getDivision(GROUP_ID).getInfo().isLeader();
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * On the leader: if keys wait to expire and no entry moved the replicated clock for a tick,
     * propose an empty entry, so that expired keys disappear on time on every replica.
     */
    private void tickIfDue() {
        try {
            if (!isLeader() || System.currentTimeMillis() - stateMachine.clock().millis() < TICK_MILLIS) {
                return;
            }
            if (stateMachine.engine().stats().keysWithExpiry() > 0) {
                replication.tick();
            }
        } catch (RuntimeException e) {
            LOG.debug("tick failed: {}", e.toString());
        }
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        replication.close();
        try {
            client.close();
        } catch (IOException e) {
            LOG.warn("closing the Raft client: {}", e.getMessage());
        }
        closeQuietly(server);
    }

    private static void closeQuietly(RaftServer server) {
        if (server == null) {
            return;
        }
        try {
            server.close();
        } catch (IOException | RuntimeException e) {
            LOG.warn("closing the Raft server: {}", e.getMessage());
        }
    }
}
