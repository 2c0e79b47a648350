package io.kvs.cli;

import io.kvs.cli.Linearizability.Kind;
import io.kvs.cli.Linearizability.Operation;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The checker accepts what a single register could do and refuses a stale read. */
class LinearizabilityTest {

    private static final long UNKNOWN = Long.MAX_VALUE;

    private static Operation op(Kind kind, Long value, long invoked, long returned) {
        return new Operation("k", kind, value, invoked, returned);
    }

    @Test
    void aSequentialHistoryOfARegisterIsLinearizable() {
        assertTrue(Linearizability.checkRegister(List.of(
                op(Kind.GET, null, 0, 1), op(Kind.SET, 5L, 2, 3), op(Kind.GET, 5L, 4, 5),
                op(Kind.INCR, 6L, 6, 7), op(Kind.GET, 6L, 8, 9))));
    }

    /** A read that began after a write had returned, yet saw the value from before it. */
    @Test
    void aStaleReadIsNotLinearizable() {
        assertFalse(Linearizability.checkRegister(List.of(
                op(Kind.SET, 1L, 0, 1), op(Kind.SET, 2L, 2, 3), op(Kind.GET, 1L, 4, 5))));
        assertFalse(Linearizability.checkRegister(List.of(
                op(Kind.INCR, 1L, 0, 1), op(Kind.INCR, 2L, 2, 3), op(Kind.GET, null, 4, 5))));
    }

    @Test
    void overlappingOperationsMayTakeEffectInEitherOrder() {
        // The read overlaps the write: it may see the old value or the new one.
        assertTrue(Linearizability.checkRegister(List.of(op(Kind.SET, 1L, 0, 1), op(Kind.SET, 2L, 2, 6), op(Kind.GET, 1L, 3, 4))));
        assertTrue(Linearizability.checkRegister(List.of(op(Kind.SET, 1L, 0, 1), op(Kind.SET, 2L, 2, 6), op(Kind.GET, 2L, 3, 4))));
        // But two reads cannot see the new value, then the old one again.
        assertFalse(Linearizability.checkRegister(List.of(op(Kind.SET, 1L, 0, 1), op(Kind.SET, 2L, 2, 9),
                op(Kind.GET, 2L, 3, 4), op(Kind.GET, 1L, 5, 6))));
    }

    @Test
    void aWriteOfUnknownOutcomeMayHaveHappenedOrNot() {
        assertTrue(Linearizability.checkRegister(List.of(op(Kind.SET, 1L, 0, 1), op(Kind.SET, 2L, 2, UNKNOWN), op(Kind.GET, 1L, 5, 6))));
        assertTrue(Linearizability.checkRegister(List.of(op(Kind.SET, 1L, 0, 1), op(Kind.SET, 2L, 2, UNKNOWN), op(Kind.GET, 2L, 5, 6))));
        assertTrue(Linearizability.checkRegister(List.of(op(Kind.INCR, 1L, 0, 1), op(Kind.INCR, null, 2, UNKNOWN),
                op(Kind.INCR, 3L, 5, 6))));
        // Not before it was invoked.
        assertFalse(Linearizability.checkRegister(List.of(op(Kind.SET, 1L, 0, 1), op(Kind.GET, 2L, 2, 3),
                op(Kind.SET, 2L, 4, UNKNOWN))));
    }

    /** Histories of a real register run by concurrent threads pass; with one read made stale, they fail. */
    @Test
    void randomHistoriesOfAnAtomicRegisterPassAndFailWhenAReadIsMadeStale() throws Exception {
        Random random = new Random(42);
        for (int round = 0; round < 50; round++) {
            Long[] last = new Long[1];
            List<Operation> history = registerHistory(random.nextLong(), last);
            assertTrue(Linearizability.checkRegister(history), "round " + round);
            // After everything returned, a SET of a new value, then a GET that still sees the
            // value the register held before it: stale.
            long end = history.stream().mapToLong(Operation::returnedNanos).max().orElseThrow();
            List<Operation> fresh = new ArrayList<>(history);
            fresh.add(op(Kind.SET, 1_000L, end + 1, end + 2));
            fresh.add(op(Kind.GET, 1_000L, end + 3, end + 4));
            assertTrue(Linearizability.checkRegister(fresh), "round " + round);
            List<Operation> stale = new ArrayList<>(history);
            stale.add(op(Kind.SET, 1_000L, end + 1, end + 2));
            stale.add(op(Kind.GET, last[0], end + 3, end + 4));
            assertFalse(Linearizability.checkRegister(stale), "round " + round);
        }
    }

    /** Four threads on one synchronized register, each operation stamped inside its critical section. */
    private static List<Operation> registerHistory(long seed, Long[] last) throws InterruptedException {
        Object lock = new Object();
        Long[] register = new Long[1];
        List<Operation> history = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.atomic.AtomicLong clock = new java.util.concurrent.atomic.AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Random random = new Random(seed + t);
            threads.add(new Thread(() -> {
                for (int i = 0; i < 25; i++) {
                    long invoked = clock.incrementAndGet();
                    Kind kind = Kind.values()[random.nextInt(3)];
                    Long value;
                    synchronized (lock) {
                        clock.incrementAndGet();
                        value = switch (kind) {
                            case SET -> register[0] = (long) random.nextInt(5);
                            case GET -> register[0];
                            case INCR -> register[0] = (register[0] == null ? 0 : register[0]) + 1;
                        };
                    }
                    history.add(op(kind, value, invoked, clock.incrementAndGet()));
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread thread : threads) {
            thread.join();
        }
        last[0] = register[0];
        return new ArrayList<>(history);
    }
}
