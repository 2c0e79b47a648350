package io.kvs.raft;

import io.kvs.core.StorageException;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.SnapshotRetentionPolicy;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.impl.FileListSnapshotInfo;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A replica's Raft snapshots: engine checkpoints ({@link io.kvs.core.KvsEngine#checkpoint}) in
 * the state machine directory of the Raft storage, one directory each, named
 * {@code checkpoint-TERM-INDEX} after the last entry they hold. A checkpoint is written under
 * another name and renamed into place, so a directory with this name is complete. The leader
 * ships the files of the latest one to a follower that is too far behind; the follower receives
 * them into the same place (with an {@code .md5} file beside each, which is ignored here).
 */
final class CheckpointStorage implements StateMachineStorage {

    private static final Pattern NAME = Pattern.compile("checkpoint-(\\d+)-(\\d+)");
    /** Files Ratis writes beside each received file. */
    private static final String DIGEST_SUFFIX = ".md5";

    private volatile Path dir;
    private volatile FileListSnapshotInfo latest;

    @Override
    public void init(RaftStorage raftStorage) throws IOException {
        Path smDir = raftStorage.getStorageDir().getStateMachineDir().toPath();
        Files.createDirectories(smDir);
        dir = smDir;
        latest = scan();
    }

    @Override
    public FileListSnapshotInfo getLatestSnapshot() {
        return latest;
    }

    /** Reads the directory again (after the leader's snapshot was installed into it). */
    FileListSnapshotInfo reload() {
        latest = scan();
        return latest;
    }

    /** Where the checkpoint of the state after entry {@code termIndex} goes. */
    Path pathFor(TermIndex termIndex) {
        return dir.resolve("checkpoint-" + termIndex.getTerm() + "-" + termIndex.getIndex());
    }

    /** Records that the checkpoint at {@link #pathFor}({@code termIndex}) is complete. */
    void published(TermIndex termIndex) {
        latest = info(pathFor(termIndex), termIndex);
    }

    @Override
    public void format() {
        // Nothing to prepare: init creates the directory.
    }

    @Override
    public void cleanupOldSnapshots(SnapshotRetentionPolicy policy) throws IOException {
        int keep = policy.getNumSnapshotsRetained();
        if (keep <= 0) {
            return;
        }
        List<Path> checkpoints = checkpoints();
        for (int i = 0; i < checkpoints.size() - keep; i++) {
            deleteTree(checkpoints.get(i));
        }
    }

    /** The directory of a complete checkpoint's term and index, or null if the name is not one. */
    static TermIndex termIndexOf(Path checkpoint) {
        Matcher matcher = NAME.matcher(checkpoint.getFileName().toString());
        if (!matcher.matches()) {
            return null;
        }
        return TermIndex.valueOf(Long.parseLong(matcher.group(1)), Long.parseLong(matcher.group(2)));
    }

    /** The latest checkpoint's directory, or null if there is none. */
    Path latestPath() {
        FileListSnapshotInfo info = latest;
        return info == null ? null : pathFor(info.getTermIndex());
    }

    private FileListSnapshotInfo scan() {
        List<Path> checkpoints = checkpoints();
        if (checkpoints.isEmpty()) {
            return null;
        }
        Path last = checkpoints.get(checkpoints.size() - 1);
        return info(last, termIndexOf(last));
    }

    /** The complete checkpoints, oldest first. */
    private List<Path> checkpoints() {
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                if (Files.isDirectory(entry) && termIndexOf(entry) != null) {
                    found.add(entry);
                }
            }
        } catch (IOException e) {
            throw new StorageException("cannot list the snapshots in " + dir + ": " + e.getMessage(), e);
        }
        found.sort(Comparator.comparing(CheckpointStorage::termIndexOf));
        return found;
    }

    private static FileListSnapshotInfo info(Path checkpoint, TermIndex termIndex) {
        List<FileInfo> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(checkpoint)) {
            walk.filter(Files::isRegularFile)
                    .filter(file -> !file.getFileName().toString().endsWith(DIGEST_SUFFIX))
                    .sorted()
                    .forEach(file -> files.add(new FileInfo(file, null)));
        } catch (IOException | UncheckedIOException e) {
            throw new StorageException("cannot list snapshot " + checkpoint + ": " + e.getMessage(), e);
        }
        return new FileListSnapshotInfo(files, termIndex);
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(path);
            }
        }
    }

    /** For messages. */
    File directory() {
        return dir.toFile();
    }
}
