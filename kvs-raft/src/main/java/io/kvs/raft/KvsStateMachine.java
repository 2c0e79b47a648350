package io.kvs.raft;

import io.kvs.core.DataDirectory;
import io.kvs.core.EngineKind;
import io.kvs.core.KvStoreOptions;
import io.kvs.core.KvsEngine;
import io.kvs.core.KvsException;
import io.kvs.core.StorageException;
import io.kvs.net.command.EngineKeys;
import io.kvs.net.command.Proposal;
import io.kvs.net.command.Reply;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.statemachine.impl.FileListSnapshotInfo;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.apache.ratis.util.LifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Applies the Raft log to a replica's engine: each entry is a {@link Batch} of the command
 * model's proposals, applied in log order as one engine transaction together with the
 * {@link AppliedState} it leads to, so the engine always says which entries it holds. Nothing
 * here throws for a command's failure (a wrong type, a limit): that is its reply; Ratis would
 * take a throw from {@link #applyTransaction} as the end of this replica.
 *
 * <ul>
 *   <li>Time: the leader stamps its clock on each entry ({@link #startTransaction}); the engine's
 *       clock is the {@link ReplicatedClock}, moved to that stamp before the entry is applied.
 *   <li>Reads ({@link #query}) run on the local engine after Ratis's ReadIndex has made sure it
 *       holds every entry committed before the read began: linearizable.
 *   <li>Snapshots are engine checkpoints ({@link CheckpointStorage}); a snapshot received from the
 *       leader replaces the engine's files ({@link #reinitialize}), behind a marker file so that a
 *       crash in the middle is finished on the next start.
 * </ul>
 */
final class KvsStateMachine extends BaseStateMachine {

    private static final Logger LOG = LoggerFactory.getLogger(KvsStateMachine.class);
    /** The subdirectory of the data directory that holds the Raft storage. */
    static final String RAFT_DIR = "raft";
    /** Present while a snapshot's files replace the engine's: names the checkpoint being copied. */
    static final String INSTALL_MARKER = "INSTALLING";
    private static final Message NO_REPLY = Message.valueOf(ByteString.EMPTY);

    private final CheckpointStorage storage = new CheckpointStorage();
    private final Path dataDir;
    private final EngineKind kind;
    private final KvStoreOptions options;
    private final ReplicatedClock clock = new ReplicatedClock(0);
    private final ReplicaEngine engine;
    private volatile AppliedState applied;

    /**
     * Opens the engine in {@code dataDir} (finishing a snapshot installation a crash interrupted).
     *
     * @throws StorageException if the engine cannot be opened
     */
    KvsStateMachine(Path dataDir, EngineKind kind, KvStoreOptions options) {
        this.dataDir = dataDir;
        this.kind = kind;
        this.options = options.withClock(clock);
        finishInterruptedInstall();
        this.engine = new ReplicaEngine(openEngine());
    }

    /** The engine, as the server reads it (INFO, stats); it changes when a snapshot is installed. */
    KvsEngine engine() {
        return engine;
    }

    /** The replicated clock (the time of the last entry applied). */
    ReplicatedClock clock() {
        return clock;
    }

    /** What the engine holds of the log. */
    AppliedState applied() {
        return applied;
    }

    @Override
    public StateMachineStorage getStateMachineStorage() {
        return storage;
    }

    @Override
    public FileListSnapshotInfo getLatestSnapshot() {
        return storage.getLatestSnapshot();
    }

    @Override
    public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage) throws IOException {
        getLifeCycle().startAndTransition(() -> {
            super.initialize(server, groupId, raftStorage);
            storage.init(raftStorage);
            FileListSnapshotInfo snapshot = storage.getLatestSnapshot();
            if (snapshot != null && snapshot.getIndex() > applied.index()) {
                // The engine lost what its snapshot holds (its files were replaced or damaged):
                // the log before the snapshot may be gone, so start from the snapshot.
                LOG.warn("the engine holds the log up to index {}, its latest snapshot up to {}: installing the snapshot",
                        applied.index(), snapshot.getIndex());
                install(storage.latestPath());
            }
            setLastAppliedTermIndex(applied.index() < 0 ? null : TermIndex.valueOf(applied.term(), applied.index()));
        });
    }

    @Override
    public synchronized void pause() {
        if (getLifeCycleState() == LifeCycle.State.RUNNING) {
            getLifeCycle().transition(LifeCycle.State.PAUSING);
            getLifeCycle().transition(LifeCycle.State.PAUSED);
        }
    }

    /** Called once a snapshot from the leader is in the state machine directory: the engine becomes that snapshot. */
    @Override
    public synchronized void reinitialize() throws IOException {
        FileListSnapshotInfo snapshot = storage.reload();
        if (snapshot != null && snapshot.getIndex() > applied.index()) {
            install(storage.latestPath());
            setLastAppliedTermIndex(snapshot.getTermIndex());
        }
        if (getLifeCycleState() == LifeCycle.State.PAUSED) {
            getLifeCycle().transition(LifeCycle.State.STARTING);
            getLifeCycle().transition(LifeCycle.State.RUNNING);
        }
    }

    /** At the leader: the entry's time is the leader's clock now. */
    @Override
    public TransactionContext startTransaction(RaftClientRequest request) throws IOException {
        ByteString content = request.getMessage().getContent();
        ByteString logData = content;
        if (content.size() >= Batch.TIME_OFFSET + Long.BYTES) {
            logData = UnsafeByteOperations.unsafeWrap(Batch.withTime(content.toByteArray(), System.currentTimeMillis()));
        }
        return TransactionContext.newBuilder()
                .setStateMachine(this)
                .setServerRole(RaftPeerRole.LEADER)
                .setClientRequest(request)
                .setLogData(logData)
                .build();
    }

    @Override
    public CompletableFuture<Message> applyTransaction(TransactionContext transaction) {
        LogEntryProto entry = transaction.getLogEntry();
        long term = entry.getTerm();
        long index = entry.getIndex();
        if (index <= applied.index()) {
            // Replayed after a restart: the engine already holds it (recorded with its writes).
            return CompletableFuture.completedFuture(NO_REPLY);
        }
        List<Reply> replies;
        try {
            Batch batch = Batch.decode(entry.getStateMachineLogEntry().getLogData().toByteArray());
            long now = clock.advanceTo(batch.timeMillis());
            replies = apply(batch.proposals(), new AppliedState(term, index, now));
        } catch (MalformedMessageException e) {
            LOG.error("log entry {} does not decode, applied as nothing: {}", index, e.getMessage());
            replies = apply(List.of(), new AppliedState(term, index, clock.millis()));
        }
        updateLastAppliedTermIndex(term, index);
        return CompletableFuture.completedFuture(message(replies));
    }

    /**
     * Applies {@code proposals} and records {@code next} in one engine transaction. If the engine
     * refuses the whole (a batch over its size limit, a storage failure), each proposal is applied
     * on its own, the last recording {@code next}; a failure then is that proposal's reply.
     */
    private List<Reply> apply(List<Proposal> proposals, AppliedState next) {
        EngineKeys keys = new EngineKeys(engine.current());
        try {
            List<Reply> replies = keys.atomically(inside -> {
                List<Reply> each = new ArrayList<>(proposals.size());
                for (Proposal proposal : proposals) {
                    each.add(proposal.apply(inside));
                }
                return each;
            }, next.encode());
            applied = next;
            return replies;
        } catch (RuntimeException e) {
            LOG.warn("log entry {} could not be applied as one transaction ({}); applying its {} proposals one by one",
                    next.index(), e.getMessage(), proposals.size());
        }
        List<Reply> replies = new ArrayList<>(proposals.size());
        for (int i = 0; i < proposals.size(); i++) {
            Proposal proposal = proposals.get(i);
            try {
                if (i == proposals.size() - 1) {
                    replies.add(keys.atomically(proposal::apply, next.encode()));
                } else {
                    replies.add(proposal.apply(keys));
                }
            } catch (RuntimeException e) {
                replies.add(new Reply.Error(Reply.Failure.STORAGE, "ERR", e.getMessage()));
            }
        }
        if (proposals.isEmpty()) {
            try {
                keys.atomically(inside -> null, next.encode());
            } catch (RuntimeException e) {
                LOG.error("cannot record log entry {} as applied: {}", next.index(), e.getMessage());
            }
        }
        applied = next;
        return replies;
    }

    /**
     * An entry that is not a batch (a configuration, a new leader's first entry) was applied.
     * After a restart Ratis replays from the last snapshot, so such an entry may come before the
     * entries the engine already holds: the applied index never goes back.
     */
    @Override
    public void notifyTermIndexUpdated(long term, long index) {
        TermIndex last = getLastAppliedTermIndex();
        if (last == null || index > last.getIndex()) {
            updateLastAppliedTermIndex(term, index);
        }
    }

    /** A linearizable read: Ratis calls it once this replica has applied every entry committed before the read. */
    @Override
    public CompletableFuture<Message> query(Message request) {
        List<Reply> replies = new ArrayList<>();
        try {
            Batch batch = Batch.decode(request.getContent().toByteArray());
            EngineKeys keys = new EngineKeys(engine.current());
            for (Proposal proposal : batch.proposals()) {
                replies.add(proposal.apply(keys));
            }
        } catch (MalformedMessageException e) {
            return CompletableFuture.failedFuture(e);
        }
        return CompletableFuture.completedFuture(message(replies));
    }

    /** Checkpoints the engine (it holds exactly the entries applied: applies wait meanwhile). */
    @Override
    public long takeSnapshot() throws IOException {
        AppliedState state = applied;
        if (state.index() < 0) {
            return -1;
        }
        TermIndex termIndex = TermIndex.valueOf(state.term(), state.index());
        Path target = storage.pathFor(termIndex);
        if (!Files.exists(target)) {
            try {
                engine.current().checkpoint(target);
            } catch (RuntimeException e) {
                throw new IOException("cannot checkpoint the engine for a snapshot at index " + state.index()
                        + ": " + e.getMessage(), e);
            }
        }
        storage.published(termIndex);
        LOG.info("snapshot at index {} (term {}) in {}", state.index(), state.term(), target);
        return state.index();
    }

    @Override
    public void close() throws IOException {
        getLifeCycle().checkStateAndClose(() -> engine.current().close());
    }

    private KvsEngine openEngine() {
        KvsEngine opened = kind.open(dataDir, options);
        try {
            applied = AppliedState.of(opened.metadata());
        } catch (RuntimeException e) {
            opened.close();
            throw e;
        }
        clock.advanceTo(applied.timeMillis());
        return opened;
    }

    /**
     * Makes the engine the checkpoint in {@code checkpoint}: the engine closes, its files are
     * replaced by the checkpoint's (a marker says so until done), and it opens again.
     */
    private void install(Path checkpoint) throws IOException {
        Path marker = markerPath();
        Files.writeString(marker, checkpoint.toString(), StandardCharsets.UTF_8);
        force(marker);
        engine.current().close();
        replaceEngineFiles(checkpoint);
        Files.delete(marker);
        engine.replace(openEngine());
        LOG.info("installed snapshot {}: the engine holds the log up to index {}", checkpoint.getFileName(), applied.index());
    }

    private Path markerPath() {
        return dataDir.resolve(RAFT_DIR).resolve(INSTALL_MARKER);
    }

    /** A crash while a snapshot replaced the engine's files: copy them again before the engine opens. */
    private void finishInterruptedInstall() {
        Path marker = markerPath();
        if (!Files.exists(marker)) {
            return;
        }
        try {
            Path checkpoint = Path.of(Files.readString(marker, StandardCharsets.UTF_8).strip());
            if (!Files.isDirectory(checkpoint)) {
                throw new KvsException("a snapshot installation was interrupted, and its checkpoint " + checkpoint
                        + " is gone: the engine's files in " + dataDir + " are incomplete (remove the data directory"
                        + " and restart this node to copy the data from the others)");
            }
            LOG.warn("finishing the installation of snapshot {} that a crash interrupted", checkpoint.getFileName());
            replaceEngineFiles(checkpoint);
            Files.delete(marker);
        } catch (IOException e) {
            throw new StorageException("cannot finish installing a snapshot into " + dataDir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Deletes the engine's files in the data directory (every file but the engine marker and
     * the lock; the Raft storage is a directory) and copies the checkpoint's there.
     */
    private void replaceEngineFiles(Path checkpoint) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dataDir)) {
            for (Path entry : entries) {
                if (Files.isRegularFile(entry) && isEngineFile(entry)) {
                    Files.delete(entry);
                }
            }
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(checkpoint)) {
            for (Path entry : entries) {
                if (Files.isRegularFile(entry) && isEngineFile(entry) && !entry.getFileName().toString().endsWith(".md5")) {
                    Path copy = dataDir.resolve(entry.getFileName().toString());
                    Files.copy(entry, copy, StandardCopyOption.REPLACE_EXISTING);
                    force(copy);
                }
            }
        }
        force(dataDir);
    }

    private static boolean isEngineFile(Path file) {
        String name = file.getFileName().toString();
        return !name.equals(DataDirectory.ENGINE_FILE_NAME) && !name.equals(DataDirectory.LOCK_FILE_NAME);
    }

    private static void force(Path path) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    private static Message message(List<Reply> replies) {
        return Message.valueOf(UnsafeByteOperations.unsafeWrap(Replies.encode(replies)));
    }
}
