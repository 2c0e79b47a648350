package io.kvs.raft;

import java.util.concurrent.ForkJoinPool;

/**
 * Ratis runs much of a node's work through {@link java.util.concurrent.CompletableFuture}'s
 * asynchronous methods without an executor, that is on the common fork-join pool. On a machine
 * with fewer than three cores that pool's parallelism is 1, and {@code CompletableFuture} then
 * starts a new thread for every such task: a follower started one for every append it received
 * (docs/BENCHMARKS.md, "A thread per append"). A process that runs a Raft node calls
 * {@link #ensure()} first thing, before anything touches the pool.
 */
public final class CommonPoolParallelism {

    /** The JDK's property for the common pool's parallelism. */
    public static final String PARALLELISM_PROP_NAME = "java.util.concurrent.ForkJoinPool.common.parallelism";
    /** The least parallelism at which {@code CompletableFuture} uses the pool rather than a thread per task. */
    public static final int PARALLELISM_MIN = 2;

    private CommonPoolParallelism() {
    }

    /**
     * Sets the common pool's parallelism to {@link #PARALLELISM_MIN} when the JDK would choose
     * less on this machine and the user has not chosen it; a no-op otherwise, and once the pool
     * exists. Returns the parallelism the pool has.
     */
    public static int ensure() {
        String chosen = parallelismFor(Runtime.getRuntime().availableProcessors(), System.getProperty(PARALLELISM_PROP_NAME));
        if (chosen != null) {
            System.setProperty(PARALLELISM_PROP_NAME, chosen);
        }
        return ForkJoinPool.getCommonPoolParallelism();
    }

    /**
     * The parallelism to set on a machine of {@code processors} cores when the property is
     * {@code configured} (null if unset), or null to leave the JDK's choice (processors - 1) or
     * the user's.
     */
    static String parallelismFor(int processors, String configured) {
        if (configured != null || processors - 1 >= PARALLELISM_MIN) {
            return null;
        }
        return Integer.toString(PARALLELISM_MIN);
    }
}
