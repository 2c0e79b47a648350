package io.kvs.core.log;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Named points in the log's code where a test can make the process die, to prove that a crash
 * at any of them loses nothing acknowledged. Off unless the system property
 * {@value #POINT_PROP_NAME} names a point: then the {@value #AFTER_PROP_NAME}-th time the
 * process reaches that point it prints {@code crash-point NAME} on stdout and halts at once
 * (no shutdown hooks, like {@code kill -9}). When off, a reach costs one static boolean check.
 */
final class CrashPoints {

    /** Property naming the point to crash at. */
    static final String POINT_PROP_NAME = "kvs.crash.point";
    /** Property giving how many reaches of the point to let pass first (default 1: the first). */
    static final String AFTER_PROP_NAME = "kvs.crash.after";

    static final String APPEND_BEFORE_WRITE = "append.before-write";
    static final String APPEND_AFTER_WRITE = "append.after-write";
    static final String ROLL_AFTER_CREATE = "roll.after-create";
    static final String ROLL_BEFORE_SEAL = "roll.before-seal";
    static final String ROLL_AFTER_SEAL = "roll.after-seal";
    static final String COMPACTION_AFTER_PREPARE = "compaction.after-prepare";
    static final String COMPACTION_AFTER_ROLL = "compaction.after-roll";
    static final String COMPACTION_MID_COPY = "compaction.mid-copy";
    static final String COMPACTION_AFTER_OUTPUT_SEALED = "compaction.after-output-sealed";
    static final String COMPACTION_MID_DELETE = "compaction.mid-delete";
    static final String COMPACTION_AFTER_DELETE = "compaction.after-delete";
    static final String FILE_BEFORE_DELETE = "file.before-delete";
    /** A retired segment's file blanked and renamed to its free name, not yet kept. */
    static final String FILE_AFTER_KEEP = "file.after-keep";
    /** A kept file renamed to a new segment's name under its new header, not yet mapped. */
    static final String SEGMENT_AFTER_REUSE = "segment.after-reuse";
    static final String MANIFEST_BEFORE_REPLACE = "manifest.before-replace";
    static final String MANIFEST_AFTER_REPLACE = "manifest.after-replace";

    /** Every point, for the suite that must hit each one. */
    static final List<String> ALL = List.of(APPEND_BEFORE_WRITE, APPEND_AFTER_WRITE, ROLL_AFTER_CREATE,
            ROLL_BEFORE_SEAL, ROLL_AFTER_SEAL, COMPACTION_AFTER_PREPARE, COMPACTION_AFTER_ROLL, COMPACTION_MID_COPY,
            COMPACTION_AFTER_OUTPUT_SEALED, COMPACTION_MID_DELETE, COMPACTION_AFTER_DELETE, FILE_BEFORE_DELETE,
            FILE_AFTER_KEEP, SEGMENT_AFTER_REUSE, MANIFEST_BEFORE_REPLACE, MANIFEST_AFTER_REPLACE);

    private static final String TARGET = System.getProperty(POINT_PROP_NAME);
    private static final boolean ENABLED = TARGET != null;
    private static final long AFTER = Long.getLong(AFTER_PROP_NAME, 1);
    private static final AtomicLong REACHED = new AtomicLong();

    private CrashPoints() {
    }

    /** Marks that the process reached point {@code name}; may not return (see class comment). */
    static void reach(String name) {
        if (ENABLED && name.equals(TARGET) && REACHED.incrementAndGet() == AFTER) {
            System.out.println("crash-point " + name);
            System.out.flush();
            Runtime.getRuntime().halt(137);
        }
    }
}
