package io.kvs.core.log;

import io.kvs.core.CorruptLogException;
import io.kvs.core.DataDirectory;
import io.kvs.core.Entry;
import io.kvs.core.KvStoreOptions;
import io.kvs.core.KvsException;
import io.kvs.core.StorageException;
import io.kvs.core.SyncPolicy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Salvages a damaged {@link KvStore} directory: keeps every record that verifies, drops what
 * does not, and says exactly what was dropped ({@link RepairReport}). Never runs by itself: a
 * store that finds damage refuses to open, and the user runs this explicitly.
 *
 * <p>How: with the directory claimed, every segment file is scanned in id order, through file
 * reads (a damaged file is never touched through a mapping); each valid set or remove record is
 * replayed, in log order, into a new store built in a staging directory beside the data. At a
 * damaged record the scan looks forward for the next offset where a valid record starts. Then
 * the original segments and manifest are moved into a backup directory and the repaired ones
 * into their place. The backup is kept; nothing is deleted.
 *
 * <p>What cannot be recovered: records inside a damaged region (a removed key may come back if
 * its tombstone was lost there) and the records of missing segments. Not thread-safe; one repair
 * per directory at a time (the directory lock enforces it).
 */
final class LogRepair {

    /** Prefix of the directory the original files are moved to. */
    static final String BACKUP_PREFIX = "repair-backup-";
    /** Prefix of the staging directory the repaired store is built in. */
    static final String STAGING_PREFIX = "repair-staging-";

    private final Path dir;
    private final Consumer<String> progress;

    LogRepair(Path dir, Consumer<String> progress) {
        this.dir = dir.toAbsolutePath().normalize();
        this.progress = progress;
    }

    RepairReport run() {
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT));
        try (DataDirectory claimed = DataDirectory.claim(dir, KvStore.ENGINE_NAME)) {
            Path staging = freshDirectory(STAGING_PREFIX + stamp);
            Path backup = freshDirectory(BACKUP_PREFIX + stamp);
            List<Path> missing = missingSegments();
            List<RepairReport.Damage> damage = new ArrayList<>();
            long kept = 0;
            long keys;
            KvStoreOptions options = KvStoreOptions.defaults().withSyncPolicy(SyncPolicy.ALWAYS)
                    .withCompactionThresholdBytes(Long.MAX_VALUE);
            List<Long> ids = SegmentFiles.list(dir);
            try (KvStore repaired = KvStore.open(staging, options)) {
                for (int i = 0; i < ids.size(); i++) {
                    Path file = SegmentFiles.path(dir, ids.get(i));
                    progress.accept("scanning " + file.getFileName() + " (" + (i + 1) + " of " + ids.size() + ")");
                    kept += salvage(ids.get(i), file, repaired, damage);
                }
                repaired.compact();
                keys = repaired.size();
            }
            progress.accept("moving the original files to " + backup);
            for (long id : ids) {
                move(SegmentFiles.path(dir, id), backup);
            }
            moveIfExists(SegmentFiles.manifestPath(dir), backup);
            moveIfExists(SegmentFiles.manifestTemporaryPath(dir), backup);
            for (long id : SegmentFiles.list(staging)) {
                move(SegmentFiles.path(staging, id), dir);
            }
            move(SegmentFiles.manifestPath(staging), dir);
            claimed.sync();
            deleteStaging(staging);
            return new RepairReport(kept, keys, List.copyOf(damage), List.copyOf(missing), backup);
        }
    }

    /** Listed segments that are not there; a damaged manifest is reported as damage-free here (it is rebuilt). */
    private List<Path> missingSegments() {
        Optional<Manifest> manifest;
        try {
            manifest = Manifest.read(dir);
        } catch (CorruptLogException e) {
            progress.accept("the manifest is damaged (" + e.getMessage() + "): it is rebuilt from the segments found");
            return List.of();
        }
        if (manifest.isEmpty()) {
            return List.of();
        }
        Set<Long> present = new HashSet<>(SegmentFiles.list(dir));
        List<Path> missing = new ArrayList<>();
        for (long id : manifest.get().live()) {
            if (!present.contains(id)) {
                missing.add(SegmentFiles.path(dir, id));
            }
        }
        return missing;
    }

    /** Replays the valid records of one segment file into {@code target}; returns how many. */
    private long salvage(long id, Path file, KvStore target, List<RepairReport.Damage> damage) {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new StorageException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (size <= SegmentHeader.LENGTH) {
            if (size > 0) {
                damage.add(new RepairReport.Damage(file, 0, size, 0, null, null, "file shorter than a segment header"));
            }
            return 0;
        }
        SegmentHeader.Parsed header = parseHeader(file, id, damage);
        long end = header.sealed() ? Math.min(header.sealedEnd(), size) : size;
        // Mapped with its own size only, never extended; read with file reads only.
        Segment segment = Segment.open(file, id, new SegmentHeader.Parsed(header.segmentId(), header.version(), header.kind(), header.flags(), 0),
                SegmentHeader.LENGTH, LogIo.REAL);
        try {
            return scan(segment, file, end, header.sealed(), target, damage);
        } finally {
            segment.close();
        }
    }

    private SegmentHeader.Parsed parseHeader(Path file, long id, List<RepairReport.Damage> damage) {
        byte[] bytes = Segment.readHeader(file);
        try {
            SegmentHeader.Parsed parsed = SegmentHeader.parse(bytes, file);
            if (parsed.segmentId() != id) {
                damage.add(new RepairReport.Damage(file, 0, SegmentHeader.LENGTH, 0, null, null,
                        "header names segment " + parsed.segmentId() + "; records kept in file-name order"));
            }
            return parsed;
        } catch (CorruptLogException e) {
            damage.add(new RepairReport.Damage(file, 0, SegmentHeader.LENGTH, 0, null, null,
                    "damaged segment header (" + e.getMessage() + "); records after it scanned as unsealed"));
            // Its records are checked as this build writes them (salted, format 3).
            return new SegmentHeader.Parsed(id, SegmentHeader.VERSION, SegmentHeader.KIND_LOG, (byte) 0, 0);
        }
    }

    private long scan(Segment segment, Path file, long end, boolean sealed, KvStore target,
                      List<RepairReport.Damage> damage) {
        RecordScanner scanner = new RecordScanner(segment, end, true);
        long kept = 0;
        String lastKey = null;
        while (true) {
            RecordScanner.Step step = scanner.next();
            if (step == RecordScanner.Step.END || (step == RecordScanner.Step.BLANK && !sealed && blankToEnd(segment, scanner.offset(), end))) {
                return kept;
            }
            if (step == RecordScanner.Step.RECORD) {
                lastKey = apply(scanner, target);
                kept++;
                continue;
            }
            long from = scanner.offset();
            long next = nextValidRecord(scanner, from + 1, end);
            if (step == RecordScanner.Step.BLANK && !sealed && next == -1 && segment.checksumSalt() != 0) {
                // The blank header a writer leaves after its last record in a reused file: what
                // follows is the file's earlier life, whose records no longer verify, not damage.
                return kept;
            }
            int headers = plausibleHeaders(segment, from, next == -1 ? end : next);
            if (next == -1) {
                damage.add(new RepairReport.Damage(file, from, end, headers, lastKey, null,
                        sealed ? "invalid record in a sealed segment, nothing valid after it"
                                : "invalid tail of an unsealed segment (a torn write, damage, or the earlier"
                                + " contents of a reused file)"));
                return kept;
            }
            damage.add(new RepairReport.Damage(file, from, next, headers, lastKey, keyAt(segment, next),
                    step == RecordScanner.Step.BLANK ? "zeros where records should be" : "invalid record"));
            scanner.resumeAt(next);
        }
    }

    /** True if every byte from {@code from} to {@code end} is zero (the unwritten rest of a segment). */
    private static boolean blankToEnd(Segment segment, long from, long end) {
        byte[] chunk = new byte[64 * 1024];
        for (long at = from; at < end; at += chunk.length) {
            int length = (int) Math.min(chunk.length, end - at);
            segment.readThroughFile(at, chunk, 0, length);
            for (int i = 0; i < length; i++) {
                if (chunk[i] != 0) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The first offset at or after {@code from} where a valid record starts, or -1. */
    private static long nextValidRecord(RecordScanner scanner, long from, long end) {
        for (long at = from; at + RecordDescriptor.HEADER_LENGTH <= end; at++) {
            if (scanner.validRecordAt(at)) {
                return at;
            }
        }
        return -1;
    }

    /** Offsets in {@code [from, to)} holding a plausible record header: a lower bound of the records lost. */
    private static int plausibleHeaders(Segment segment, long from, long to) {
        int count = 0;
        byte[] header = new byte[RecordDescriptor.HEADER_LENGTH];
        long at = from;
        while (at + RecordDescriptor.HEADER_LENGTH <= to) {
            segment.readThroughFile(at, header, 0, header.length);
            int length = RecordDescriptor.plausibleLength(header, 0);
            if (length > 0 && at + length <= to) {
                count++;
                at += length;
            } else {
                at++;
            }
        }
        return count;
    }

    private static String keyAt(Segment segment, long offset) {
        byte[] header = new byte[RecordDescriptor.HEADER_LENGTH];
        segment.readThroughFile(offset, header, 0, header.length);
        byte[] key = new byte[RecordDescriptor.keyLength(header, 0)];
        segment.readThroughFile(offset + RecordDescriptor.HEADER_LENGTH, key, 0, key.length);
        return new String(key, StandardCharsets.UTF_8);
    }

    /** Replays the record the scanner is on (a batch as one transaction); returns its (last) key. */
    private static String apply(RecordScanner scanner, KvStore target) {
        byte[] buffer = scanner.buffer();
        int at = scanner.bufferOffset();
        if (RecordDescriptor.type(buffer, at) != RecordDescriptor.TYPE_BATCH) {
            return target.atomically(transaction -> applySingle(buffer, at, transaction));
        }
        return target.atomically(transaction -> {
            String last = null;
            int count = RecordDescriptor.keyLength(buffer, at);
            int inner = at + RecordDescriptor.HEADER_LENGTH;
            for (int i = 0; i < count; i++) {
                String key = applySingle(buffer, inner, transaction);
                last = key == null ? last : key;
                inner += RecordDescriptor.plausibleLength(buffer, inner);
            }
            return last;
        });
    }

    /** Replays one single record into {@code transaction}; returns its key (null for metadata). */
    private static String applySingle(byte[] buffer, int at, io.kvs.core.Transaction transaction) {
        byte type = RecordDescriptor.type(buffer, at);
        if (type == RecordDescriptor.TYPE_METADATA) {
            transaction.setMetadata(Arrays.copyOfRange(buffer, at + RecordDescriptor.HEADER_LENGTH,
                    at + RecordDescriptor.HEADER_LENGTH + RecordDescriptor.valueLength(buffer, at)));
            return null;
        }
        int keyLength = RecordDescriptor.keyLength(buffer, at);
        byte[] key = Arrays.copyOfRange(buffer, at + RecordDescriptor.HEADER_LENGTH, at + RecordDescriptor.HEADER_LENGTH + keyLength);
        if (RecordDescriptor.isSet(type)) {
            int valueAt = RecordDescriptor.valueOffset(buffer, at);
            byte[] value = Arrays.copyOfRange(buffer, valueAt, valueAt + RecordDescriptor.valueBytes(buffer, at));
            // An expired record stays expired: the transaction drops it (its older value is gone too).
            transaction.put(key, Entry.of(value, RecordDescriptor.expiresAt(buffer, at)));
        } else {
            // A remove whose set record was in a damaged region or a missing segment removes nothing.
            transaction.delete(key);
        }
        return new String(key, StandardCharsets.UTF_8);
    }

    private Path freshDirectory(String name) {
        Path path = dir.resolve(name);
        for (int n = 2; Files.exists(path); n++) {
            path = dir.resolve(name + "-" + n);
        }
        try {
            return Files.createDirectories(path);
        } catch (IOException e) {
            throw new StorageException("cannot create " + path + ": " + e.getMessage(), e);
        }
    }

    private static void move(Path file, Path toDir) {
        try {
            Files.move(file, toDir.resolve(file.getFileName()), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new StorageException("cannot move " + file + " to " + toDir + ": " + e.getMessage()
                    + " (the original files are in the repair backup directory)", e);
        }
    }

    private static void moveIfExists(Path file, Path toDir) {
        if (Files.exists(file)) {
            move(file, toDir);
        }
    }

    private static void deleteStaging(Path staging) {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(staging)) {
            for (Path entry : entries) {
                Files.delete(entry);
            }
            Files.delete(staging);
        } catch (IOException e) {
            throw new KvsException("repair finished, but the staging directory " + staging
                    + " could not be removed: " + e.getMessage(), e);
        }
    }
}
