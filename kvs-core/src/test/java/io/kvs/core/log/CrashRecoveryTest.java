package io.kvs.core.log;

import io.kvs.core.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * kill -9 at random moments, many cycles: a child JVM writes and acknowledges operations; after
 * each kill the store must reopen holding every acknowledged operation, possibly the one in
 * flight, and nothing else. Cycles: {@value #CYCLES_PROP_NAME} (default {@value #CYCLES_DEFAULT}).
 */
class CrashRecoveryTest {

    static final String CYCLES_PROP_NAME = "kvs.crash.cycles";
    static final int CYCLES_DEFAULT = 24;

    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedWriteSurvivesKillNineAndNothingElseAppears() throws Exception {
        int cycles = Integer.getInteger(CYCLES_PROP_NAME, CYCLES_DEFAULT);
        Random random = new Random(20261124);
        Map<String, String> state = new HashMap<>();
        int totalAcks = 0;
        for (int cycle = 0; cycle < cycles; cycle++) {
            long seed = random.nextLong();
            Path acks = dir.resolveSibling(dir.getFileName() + "-acks-" + cycle + ".txt");
            Process child = ChildJvm.start(ProcessBuilder.Redirect.to(acks.toFile()), CrashWriter.class,
                    dir.toString(), Long.toString(seed));
            // Mostly kill while writing; sometimes while the child is still opening (recovering).
            long killAfterMillis = cycle % 5 == 0 ? random.nextInt(600) : -1;
            if (killAfterMillis < 0) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (CrashCheck.countAcks(acks) == 0 && child.isAlive() && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }
                assertTrue(child.isAlive(), "child died before it was killed, exit " + exitOf(child));
                killAfterMillis = random.nextInt(400);
            }
            Thread.sleep(killAfterMillis);
            child.destroyForcibly();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
            int acknowledged = CrashCheck.countAcks(acks);
            totalAcks += acknowledged;
            Map<String, String> actual = CrashCheck.verify(dir, state, seed, acks, "cycle " + cycle);
            Files.delete(acks);
            state = actual;
        }
        System.out.printf("[crash] %d kill -9 cycles, %d operations acknowledged, every one found after restart%n",
                cycles, totalAcks);
        assertTrue(totalAcks > cycles * 10, "too few operations acknowledged: " + totalAcks);
    }

    private static String exitOf(Process child) {
        return child.isAlive() ? "running" : Integer.toString(child.exitValue());
    }

}
