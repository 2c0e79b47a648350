package io.kvs.raft;

import io.kvs.net.command.Proposal;
import io.kvs.net.command.Replication;
import io.kvs.net.command.Reply;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The command model's {@link Replication} on a Raft group: writes become log entries, reads
 * linearizable ReadIndex queries on this node ({@link KvsStateMachine#query}).
 *
 * <p>Group commit: every connection's burst waiting when an entry goes out shares that entry, so
 * one Raft round (one log append and fsync on a majority) answers many commands. At most
 * {@link #IN_FLIGHT} entries (and as many reads) are on their way at once; what arrives meanwhile
 * waits for the next, which takes all of it. An entry holds at most {@link #ENTRY_BYTES} of
 * encoded commands (a larger single proposal goes alone, up to {@link #PROPOSAL_BYTES_MAX}). Each
 * proposal is encoded once, when it is submitted.
 *
 * <p>A burst that no majority has answered within the timeout (an election that does not end,
 * a node cut off from the others) is answered with {@code TRYAGAIN}: a write may still be
 * applied later, a read was not served. Until then a read that fails (most often because this
 * node does not know the leader yet: just started, or during an election) is sent again every
 * {@link #READ_RETRY_MILLIS}; Ratis's client retries writes itself. Thread-safe.
 *
 * <p>Entries go to this node's own Ratis server in process when it can take them (a write on the
 * leader, a read on a follower: {@link LocalRequests}), else through the Ratis client.
 */
final class RaftReplication implements Replication, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RaftReplication.class);
    /**
     * Entries (and, separately, reads) on their way at once. One: the fewer, larger entries that
     * gives beat more in flight on this machine (SET at pipeline 16 through three nodes on two
     * cores: 38,900 req/s with 1, 36,800 with 2, about 26,000 with 8; docs/BENCHMARKS.md).
     */
    static final int IN_FLIGHT = 1;
    /** The pause before a read that failed is sent again, while its timeout has not passed. */
    static final long READ_RETRY_MILLIS = 50;
    /** Encoded proposals' bytes that make an entry full. */
    static final int ENTRY_BYTES = 8 * 1024 * 1024;
    /** The largest proposal: the largest SET with room for its key and headers; larger ones are refused. */
    static final int PROPOSAL_BYTES_MAX = 20 * 1024 * 1024;

    private final RaftClient client;
    private final LocalRequests local;
    private final RaftPeerId self;
    private final long timeoutMillis;
    private final Supplier<Map<String, String>> info;
    /** Why the node cannot serve at all (removed from the group), or null. */
    private final Supplier<String> unavailable;
    private final Lane writes = new Lane(true);
    private final Lane reads = new Lane(false);
    /** Answers the bursts of a group Ratis answered, and sends the next group; after close, drops what comes. */
    private final ExecutorService completions = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
            new LinkedBlockingQueue<>(), runnable -> {
                Thread thread = new Thread(runnable, "kvs-raft-completions");
                thread.setDaemon(true);
                return thread;
            }, new ThreadPoolExecutor.DiscardPolicy());
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "kvs-raft-timeouts");
        thread.setDaemon(true);
        return thread;
    });

    RaftReplication(RaftClient client, LocalRequests local, RaftPeerId self, long timeoutMillis,
                    Supplier<Map<String, String>> info, Supplier<String> unavailable) {
        this.client = client;
        this.local = local;
        this.self = self;
        this.timeoutMillis = timeoutMillis;
        this.info = info;
        this.unavailable = unavailable;
        timer.scheduleWithFixedDelay(this::expireWaiting, 100, 100, TimeUnit.MILLISECONDS);
    }

    @Override
    public CompletableFuture<List<Reply>> submit(List<Proposal> proposals) {
        boolean write = false;
        List<Proposal> accepted = new ArrayList<>(proposals.size());
        List<byte[]> encoded = new ArrayList<>(proposals.size());
        Reply[] refused = new Reply[proposals.size()];
        for (int i = 0; i < proposals.size(); i++) {
            Proposal proposal = proposals.get(i);
            byte[] bytes = Batch.encode(proposal);
            if (bytes.length > PROPOSAL_BYTES_MAX) {
                refused[i] = new Reply.Error(Reply.Failure.LIMIT, "ERR", "a replicated command is limited to "
                        + PROPOSAL_BYTES_MAX + " bytes, this one has " + bytes.length);
                continue;
            }
            accepted.add(proposal);
            encoded.add(bytes);
            write |= proposal.writes();
        }
        CompletableFuture<List<Reply>> replies;
        if (accepted.isEmpty()) {
            replies = CompletableFuture.completedFuture(List.of());
        } else {
            Pending pending = new Pending(accepted.size(), encoded, System.nanoTime());
            (write ? writes : reads).add(pending);
            replies = pending.future;
        }
        if (accepted.size() == proposals.size()) {
            return replies;
        }
        // The refused ones are answered in their places, around the replies of the others.
        return replies.thenApply(answered -> {
            List<Reply> all = new ArrayList<>(proposals.size());
            java.util.Iterator<Reply> next = answered.iterator();
            for (Reply error : refused) {
                all.add(error != null ? error : next.next());
            }
            return all;
        });
    }

    /** Proposes an entry without commands, so that the leader's time reaches every replica's clock. */
    CompletableFuture<List<Reply>> tick() {
        Pending pending = new Pending(0, List.of(), System.nanoTime());
        writes.add(pending);
        return pending.future;
    }

    @Override
    public Map<String, String> info() {
        return info.get();
    }

    @Override
    public void close() {
        timer.shutdownNow();
        completions.shutdownNow();
        writes.failAll("the server is shutting down");
        reads.failAll("the server is shutting down");
    }

    private void expireWaiting() {
        long now = System.nanoTime();
        writes.expire(now);
        reads.expire(now);
    }

    private static List<Reply> errors(int count, Reply error) {
        List<Reply> replies = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            replies.add(error);
        }
        return replies;
    }

    /** One connection's burst, its proposals encoded once ({@link Batch#encode(Proposal)}), waiting for its entry or read. */
    private static final class Pending {
        final int count;
        final List<byte[]> encoded;
        final long bytes;
        final long sinceNanos;
        final CompletableFuture<List<Reply>> future = new CompletableFuture<>();

        Pending(int count, List<byte[]> encoded, long sinceNanos) {
            this.count = count;
            this.encoded = encoded;
            long total = 0;
            for (byte[] proposal : encoded) {
                total += proposal.length;
            }
            this.bytes = total;
            this.sinceNanos = sinceNanos;
        }
    }

    /** Bursts sent together, as one entry or read; identity is what tells two apart. */
    private static final class Group {
        final List<Pending> pendings;

        Group(List<Pending> pendings) {
            this.pendings = pendings;
        }
    }

    /** Writes or reads: a queue of bursts, sent in groups, at most {@link #IN_FLIGHT} groups at once. */
    private final class Lane {
        private final boolean write;
        private final ArrayDeque<Pending> waiting = new ArrayDeque<>();
        /** Groups sent and not yet answered by Ratis (which may retry past the timeout). */
        private final java.util.Set<Group> sentGroups = java.util.concurrent.ConcurrentHashMap.newKeySet();
        private int inFlight;

        Lane(boolean write) {
            this.write = write;
        }

        void add(Pending pending) {
            synchronized (this) {
                waiting.add(pending);
            }
            dispatch();
        }

        /** Sends what waits, as long as fewer than {@link #IN_FLIGHT} groups are on their way. */
        void dispatch() {
            while (true) {
                List<Pending> group = new ArrayList<>();
                synchronized (this) {
                    if (inFlight >= IN_FLIGHT || waiting.isEmpty()) {
                        return;
                    }
                    long bytes = 0;
                    while (!waiting.isEmpty() && (group.isEmpty() || bytes + waiting.peek().bytes <= ENTRY_BYTES)) {
                        Pending next = waiting.poll();
                        bytes += next.bytes;
                        group.add(next);
                    }
                    inFlight++;
                }
                send(new Group(group));
            }
        }

        private void send(Group group) {
            List<byte[]> proposals = new ArrayList<>();
            for (Pending pending : group.pendings) {
                proposals.addAll(pending.encoded);
            }
            Message message = Message.valueOf(UnsafeByteOperations.unsafeWrap(Batch.encode(0, proposals)));
            sentGroups.add(group);
            submit(group, message);
        }

        /** Submits {@code message}, in process if this node can take it, else through the client. */
        private void submit(Group group, Message message) {
            CompletableFuture<RaftClientReply> sent;
            boolean localRead = false;
            try {
                sent = local.submit(message, write);
                if (sent == null) {
                    sent = viaClient(message);
                } else {
                    localRead = !write;
                }
            } catch (RuntimeException e) {
                sent = CompletableFuture.failedFuture(e);
            }
            whenAnswered(group, message, sent, localRead);
        }

        /**
         * Answers {@code group} once {@code sent} completes, and sends the next group. Never on the
         * thread that completed it: that may be a Ratis thread holding a lock the next submission
         * needs (its read queue's, while it completes the reads in it). A read this node could not
         * serve in process goes again through the client (a read has no effect).
         */
        private void whenAnswered(Group group, Message message, CompletableFuture<RaftClientReply> sent, boolean localRead) {
            sent.whenCompleteAsync((reply, failure) -> {
                boolean failed = failure != null || reply == null || !reply.isSuccess();
                if (localRead && failed) {
                    whenAnswered(group, message, viaClient(message), false);
                    return;
                }
                if (failed && !write && retryRead(group, message)) {
                    return;
                }
                sentGroups.remove(group);
                synchronized (this) {
                    inFlight--;
                }
                answer(group, reply, failure);
                dispatch();
            }, completions);
        }

        /**
         * Sends a read that failed again after {@link #READ_RETRY_MILLIS}, if its oldest burst has
         * that long left before the timeout; true if it will. A read has no effect, so any failure
         * may be retried; the usual one is this node not knowing the leader yet (Ratis's
         * {@code ReadIndexException}: "Leader is unknown"), just after it started or during an
         * election, which Ratis's client does not retry itself.
         */
        private boolean retryRead(Group group, Message message) {
            long age = System.nanoTime() - group.pendings.get(0).sinceNanos;
            if (unavailable.get() != null
                    || age + TimeUnit.MILLISECONDS.toNanos(READ_RETRY_MILLIS) >= TimeUnit.MILLISECONDS.toNanos(timeoutMillis)) {
                return false;
            }
            try {
                timer.schedule(() -> submit(group, message), READ_RETRY_MILLIS, TimeUnit.MILLISECONDS);
                return true;
            } catch (RejectedExecutionException closing) {
                return false;
            }
        }

        /** Through the Ratis client, which finds the leader and retries (for a write: the same call, which Ratis applies once). */
        private CompletableFuture<RaftClientReply> viaClient(Message message) {
            try {
                return write ? client.async().send(message) : client.async().sendReadOnlyUnordered(message, self);
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
        }

        private void answer(Group group, RaftClientReply reply, Throwable failure) {
            List<Reply> replies = null;
            Reply error = null;
            if (failure == null && reply != null && reply.isSuccess()) {
                try {
                    replies = Replies.decode(reply.getMessage().getContent().toByteArray());
                } catch (MalformedMessageException e) {
                    error = new Reply.Error(Reply.Failure.INTERNAL, "ERR", "the replies of the Raft group do not decode: "
                            + e.getMessage());
                }
            } else {
                error = failureReply(failure != null ? failure : reply.getException());
            }
            int at = 0;
            for (Pending pending : group.pendings) {
                int count = pending.count;
                if (replies != null && replies.size() >= at + count) {
                    pending.future.complete(List.copyOf(replies.subList(at, at + count)));
                } else {
                    pending.future.complete(errors(count, error != null ? error : new Reply.Error(Reply.Failure.INTERNAL,
                            "ERR", "the Raft group answered " + (replies == null ? 0 : replies.size()) + " replies for "
                            + (at + count))));
                }
                at += count;
            }
        }

        /**
         * Answers the bursts waiting longer than the timeout, sent or not (a sent group's Ratis
         * request may go on; its late answer is ignored).
         */
        void expire(long nowNanos) {
            long timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
            for (Group group : sentGroups) {
                if (nowNanos - group.pendings.get(0).sinceNanos > timeoutNanos) {
                    answer(group, null, new TimeoutException());
                }
            }
            List<Pending> expired = new ArrayList<>();
            synchronized (this) {
                while (!waiting.isEmpty() && nowNanos - waiting.peek().sinceNanos > TimeUnit.MILLISECONDS.toNanos(timeoutMillis)) {
                    expired.add(waiting.poll());
                }
            }
            for (Pending pending : expired) {
                pending.future.complete(errors(pending.count, failureReply(new TimeoutException())));
            }
        }

        /**
         * Answers every burst with {@code why}: those waiting, and those sent (a read's retry may
         * be dropped; a sent write may still be applied, and its answer says so).
         */
        void failAll(String why) {
            List<Pending> all;
            synchronized (this) {
                all = new ArrayList<>(waiting);
                waiting.clear();
            }
            for (Pending pending : all) {
                pending.future.complete(errors(pending.count,
                        new Reply.Error(Reply.Failure.UNAVAILABLE, "ERR", why)));
            }
            Reply sentError = new Reply.Error(Reply.Failure.UNAVAILABLE, "ERR",
                    why + "; " + (write ? "the write may still be applied" : "the read was not served"));
            for (Group group : sentGroups) {
                for (Pending pending : group.pendings) {
                    pending.future.complete(errors(pending.count, sentError));
                }
            }
        }

        private Reply failureReply(Throwable failure) {
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
            String outcome = write ? "the write may still be applied" : "the read was not served";
            String gone = unavailable.get();
            if (gone != null) {
                return new Reply.Error(Reply.Failure.UNAVAILABLE, "ERR", gone);
            }
            if (cause instanceof TimeoutException) {
                return new Reply.Error(Reply.Failure.UNAVAILABLE, "TRYAGAIN", "no majority of the Raft group answered within "
                        + timeoutMillis + " ms (node " + self + " cannot reach a leader); " + outcome);
            }
            LOG.debug("Raft request failed", cause);
            return new Reply.Error(Reply.Failure.UNAVAILABLE, "TRYAGAIN", "the Raft group did not commit the request ("
                    + (cause == null ? "no reply" : cause.getClass().getSimpleName() + ": " + cause.getMessage()) + "); " + outcome);
        }
    }
}
