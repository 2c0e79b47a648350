package io.kvs.net;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The partial-frame budget hands out buffers only within its limit, under concurrency too. */
class PartialFrameBudgetTest {

    @Test
    void allocationsStopAtTheLimitAndResumeWhenReleased() {
        PartialFrameBudget budget = new PartialFrameBudget(10_000);
        ByteBuffer first = budget.allocate(6_000);
        assertNotNull(first);
        assertEquals(6_000, first.capacity());
        assertNull(budget.allocate(4_001));
        assertEquals(6_000, budget.usedBytes());
        assertNotNull(budget.allocate(4_000));
        assertFalse(budget.tryReserve(1));
        budget.release(6_000);
        assertTrue(budget.tryReserve(6_000));
        assertEquals(10_000, budget.usedBytes());
    }

    @Test
    void concurrentReservationsNeverPassTheLimit() throws InterruptedException {
        PartialFrameBudget budget = new PartialFrameBudget(1_000_000);
        AtomicLong peak = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread thread = new Thread(() -> {
                for (int i = 0; i < 100_000; i++) {
                    if (budget.tryReserve(300_001)) {
                        peak.accumulateAndGet(budget.usedBytes(), Math::max);
                        budget.release(300_001);
                    }
                }
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertTrue(peak.get() <= 1_000_000, "peak " + peak.get());
        assertEquals(0, budget.usedBytes());
    }
}
