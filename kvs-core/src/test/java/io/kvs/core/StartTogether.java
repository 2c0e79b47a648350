package io.kvs.core;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs {@code threads} threads that start at the same moment, waits for all, and fails if any threw. */
public final class StartTogether {

    /** One thread's work; {@code id} runs from 0 to threads - 1. */
    @FunctionalInterface
    public interface Work {
        void run(int id) throws Exception;
    }

    private StartTogether() {
    }

    public static void run(int threads, Work work) throws InterruptedException {
        CountDownLatch start = new CountDownLatch(1);
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            int id = i;
            Thread worker = new Thread(() -> {
                try {
                    start.await();
                    work.run(id);
                } catch (Throwable t) {
                    failures.add(t);
                }
            });
            worker.start();
            workers.add(worker);
        }
        start.countDown();
        for (Thread worker : workers) {
            worker.join();
        }
        assertTrue(failures.isEmpty(), () -> "failures: " + failures);
    }
}
