package io.kvs.net.command;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Where a replicated server's data commands run: instead of applying them to the local engine
 * on the event loop, the loop submits them ({@link Proposal}s) and answers when they complete,
 * still in order per connection. kvs-raft implements it on a Raft log; kvs-net only calls it.
 */
public interface Replication {

    /**
     * Submits {@code proposals}, in order; completes with one reply per proposal, in the same
     * order. Failures of the replication itself (no leader within the timeout, say) are error
     * replies: the future never completes exceptionally. Any thread.
     */
    CompletableFuture<List<Reply>> submit(List<Proposal> proposals);

    /** The fields of INFO's {@code # Raft} section, in order. */
    Map<String, String> info();
}
