package io.kvs.core.log;

import io.kvs.core.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Crashes at named points ({@link CrashPoints}): mid-append, at each step of a segment roll and
 * of a compaction, before a file delete, after a retired segment's file is kept for reuse and
 * after a kept file becomes a new segment, before and after a manifest is replaced. A {@link CrashWriter} child halts at the n-th time it
 * reaches the chosen point; the store must then reopen with every acknowledged operation and no
 * other. Every point must be hit at least once per run. Rounds over all points:
 * {@value #ROUNDS_PROP_NAME}.
 */
class CrashPointTest {

    static final String ROUNDS_PROP_NAME = "kvs.crashpoint.rounds";

    @TempDir
    Path dir;

    @Test
    void everyCrashPointIsHitAndLosesNothingAcknowledged() throws Exception {
        int rounds = Integer.getInteger(ROUNDS_PROP_NAME, 2);
        Random random = new Random(77);
        Map<String, Integer> hits = new LinkedHashMap<>();
        Map<String, String> state = new HashMap<>();
        int cycle = 0;
        for (int round = 0; round < rounds; round++) {
            for (String point : CrashPoints.ALL) {
                long seed = random.nextLong();
                long after = 1 + random.nextInt(point.startsWith("append") || point.endsWith("mid-copy") ? 3000 : 6);
                Path output = dir.resolveSibling(dir.getFileName() + "-point-" + cycle + ".txt");
                Process child = ChildJvm.start(
                        List.of("-D" + CrashPoints.POINT_PROP_NAME + "=" + point, "-D" + CrashPoints.AFTER_PROP_NAME + "=" + after),
                        ProcessBuilder.Redirect.to(output.toFile()), CrashWriter.class, dir.toString(), Long.toString(seed));
                if (!child.waitFor(60, TimeUnit.SECONDS)) {
                    child.destroyForcibly();
                    child.waitFor(30, TimeUnit.SECONDS);
                }
                String hit = CrashCheck.crashPoint(output);
                if (hit != null) {
                    assertEquals(point, hit);
                    assertEquals(137, child.exitValue());
                    hits.merge(point, 1, Integer::sum);
                }
                state = CrashCheck.verify(dir, state, seed, output, "crash at " + point + " #" + after);
                Files.delete(output);
                cycle++;
            }
        }
        System.out.printf("[crash points] %d cycles, hits per point: %s%n", cycle, hits);
        for (String point : CrashPoints.ALL) {
            assertTrue(hits.getOrDefault(point, 0) > 0, "crash point never hit: " + point + " (hits: " + hits + ")");
        }
    }
}
