package io.kvs.core.log;

import io.kvs.core.StorageException;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Builds and parses the names of the log's files: segments, {@code <id>.log}, the id as ten
 * decimal digits, so that names sort in id order; {@code <id>.log.tmp} while a segment is being
 * created; {@code <id>.log.free} while a retired segment's file waits to be reused;
 * {@value #MANIFEST_FILE_NAME}, the file set ({@link Manifest}), and its temporary
 * {@value #MANIFEST_FILE_NAME}{@value #TEMPORARY_SUFFIX}. Segment ids are positive and below
 * 2^31 (see {@link Location}).
 */
final class SegmentFiles {

    /** The suffix of every segment file. */
    static final String SUFFIX = ".log";
    /** The suffix of a segment file being created. */
    static final String TEMPORARY_SUFFIX = ".tmp";
    /** The suffix of a retired segment's file kept for reuse ({@link FreeSegments}). */
    static final String FREE_SUFFIX = ".free";
    /** Digits in the id part of a file name. */
    static final int ID_DIGITS = 10;
    /** The file that lists the segments ({@link Manifest}). */
    static final String MANIFEST_FILE_NAME = "MANIFEST";

    private SegmentFiles() {
    }

    /** The file name of segment {@code id}. */
    static String fileName(long id) {
        if (id <= 0 || id > Location.MAX_SEGMENT_ID) {
            throw new IllegalArgumentException("segment id out of range: " + id);
        }
        return String.format(Locale.ROOT, "%0" + ID_DIGITS + "d%s", id, SUFFIX);
    }

    /** The path of segment {@code id} in {@code dir}. */
    static Path path(Path dir, long id) {
        return dir.resolve(fileName(id));
    }

    /** The manifest of {@code dir}. */
    static Path manifestPath(Path dir) {
        return dir.resolve(MANIFEST_FILE_NAME);
    }

    /** Where a new manifest is written before it is renamed over {@link #manifestPath}. */
    static Path manifestTemporaryPath(Path dir) {
        return dir.resolve(MANIFEST_FILE_NAME + TEMPORARY_SUFFIX);
    }

    /** Where segment {@code id} is prepared before it is renamed to {@link #path}. */
    static Path temporaryPath(Path dir, long id) {
        return dir.resolve(fileName(id) + TEMPORARY_SUFFIX);
    }

    /** Where the file of retired segment {@code id} waits to be reused. */
    static Path freePath(Path dir, long id) {
        return dir.resolve(fileName(id) + FREE_SUFFIX);
    }

    /** Deletes segment files left half-prepared by a crash; returns how many. */
    static int deleteTemporaryFiles(Path dir) {
        return deleteMatching(dir, "*" + SUFFIX + TEMPORARY_SUFFIX);
    }

    /** Deletes the retired segments' files kept for reuse (a crash or a close left them); returns how many. */
    static int deleteFreeFiles(Path dir) {
        return deleteMatching(dir, "*" + SUFFIX + FREE_SUFFIX);
    }

    private static int deleteMatching(Path dir, String glob) {
        int deleted = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, glob)) {
            for (Path entry : entries) {
                Files.deleteIfExists(entry);
                deleted++;
            }
        } catch (IOException e) {
            throw new StorageException("cannot clean up " + glob + " files in " + dir + ": " + e, e);
        }
        return deleted;
    }

    /** True if {@code fileName} is one of the log's files: a segment, a manifest, one of their temporaries, or a free file. */
    static boolean isLogFile(String fileName) {
        if (fileName.equals(MANIFEST_FILE_NAME) || fileName.equals(MANIFEST_FILE_NAME + TEMPORARY_SUFFIX)) {
            return true;
        }
        String name = fileName;
        for (String suffix : new String[]{TEMPORARY_SUFFIX, FREE_SUFFIX}) {
            if (name.endsWith(suffix)) {
                name = name.substring(0, name.length() - suffix.length());
                break;
            }
        }
        return parseId(name) > 0;
    }

    /** The id in a segment file name, or -1 if {@code fileName} is not a segment file name. */
    static long parseId(String fileName) {
        if (fileName.length() != ID_DIGITS + SUFFIX.length() || !fileName.endsWith(SUFFIX)) {
            return -1;
        }
        long id = 0;
        for (int i = 0; i < ID_DIGITS; i++) {
            char c = fileName.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            id = id * 10 + (c - '0');
        }
        return id > 0 && id <= Location.MAX_SEGMENT_ID ? id : -1;
    }

    /** The ids of all segment files in {@code dir}, ascending. */
    static List<Long> list(Path dir) {
        List<Long> ids = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path entry : entries) {
                long id = parseId(entry.getFileName().toString());
                if (id > 0) {
                    ids.add(id);
                }
            }
        } catch (IOException e) {
            throw new StorageException("cannot list segments in " + dir + ": " + e, e);
        }
        ids.sort(null);
        return ids;
    }
}
