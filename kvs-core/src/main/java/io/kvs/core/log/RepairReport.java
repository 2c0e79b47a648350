package io.kvs.core.log;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@link KvStore#repair} kept and what it dropped. Immutable.
 *
 * @param recordsKept     records that verified and were replayed into the repaired store
 * @param keys            live keys in the repaired store
 * @param damage          every region that was dropped, in file and offset order
 * @param missingSegments segments the manifest listed that were not there (their records are lost)
 * @param backup          where the original files were moved (kept: delete it once satisfied)
 */
public record RepairReport(long recordsKept, long keys, List<Damage> damage, List<Path> missingSegments, Path backup) {

    /**
     * One dropped region of a segment file.
     *
     * @param file      the segment file (as it was named in the data directory)
     * @param fromOffset where the region starts
     * @param toOffset  where it ends (the next valid record, or the end of the data)
     * @param headers   plausible record headers inside it: at least this many records were lost
     * @param keyBefore the key of the last valid record before it, or null if none
     * @param keyAfter  the key of the first valid record after it, or null if none
     * @param reason    what was wrong, in words
     */
    public record Damage(Path file, long fromOffset, long toOffset, int headers, String keyBefore, String keyAfter,
                         String reason) {

        /** Bytes dropped. */
        public long bytes() {
            return toOffset - fromOffset;
        }

        @Override
        public String toString() {
            return file.getFileName() + " offsets " + fromOffset + ".." + toOffset + " (" + bytes() + " bytes, "
                    + (headers == 0 ? "no record header recognisable" : "at least " + headers + " record(s)")
                    + ", between keys " + quote(keyBefore) + " and " + quote(keyAfter) + "): " + reason;
        }

        private static String quote(String key) {
            return key == null ? "(start)" : "'" + key + "'";
        }
    }

    /** True if nothing was dropped and nothing was missing. */
    public boolean clean() {
        return damage.isEmpty() && missingSegments.isEmpty();
    }
}
