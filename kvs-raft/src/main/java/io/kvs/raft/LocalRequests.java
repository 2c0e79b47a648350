package io.kvs.raft;

import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Requests to this node's own Ratis server, handed over in process: a write when this node is
 * the leader, a linearizable read when it is not. Through the Ratis client they would go out as a
 * gRPC call to this same process and come back as another, the whole entry serialised, framed,
 * sent over loopback and parsed again both ways (a seventh to a fifth of the leader's CPU under
 * SET at pipeline 16; docs/BENCHMARKS.md, "In-process requests").
 *
 * <p>A request refused before Ratis appended it (this node is not the ready leader, or stepping
 * down) is told apart from one that failed after: only the first may go again, through the
 * client, without the risk of applying a write twice. Thread-safe.
 */
final class LocalRequests {

    private final RaftServer server;
    private final RaftPeerId self;
    private final ClientId clientId = ClientId.randomId();
    private final AtomicLong callIds = new AtomicLong();

    LocalRequests(RaftServer server, RaftPeerId self) {
        this.server = server;
        this.self = self;
    }

    /**
     * Submits {@code message} to this node's server, or answers null if this node cannot take it
     * here now (a write on a node that is not the ready leader; a server without the group), or
     * should not: a read on the leader. The leader answers a read at once (its lease), so in
     * process each connection's burst would go alone; through the client, the bursts that
     * arrive during the round trip share one read.
     */
    CompletableFuture<RaftClientReply> submit(Message message, boolean write) {
        RaftServer.Division division;
        try {
            division = server.getDivision(RaftNode.GROUP_ID);
        } catch (IOException e) {
            return null;
        }
        boolean leader = division.getInfo().isLeaderReady();
        if (write != leader) {
            return null;
        }
        RaftClientRequest request = RaftClientRequest.newBuilder()
                .setClientId(clientId)
                .setServerId(self)
                .setGroupId(RaftNode.GROUP_ID)
                .setCallId(callIds.incrementAndGet())
                .setMessage(message)
                .setType(write ? RaftClientRequest.writeRequestType() : RaftClientRequest.readRequestType())
                .build();
        CompletableFuture<RaftClientReply> reply;
        try {
            reply = server.submitClientRequestAsync(request);
        } catch (IOException e) {
            return null;
        }
        // Ratis answers a request it refuses before appending it at once; one it appended is
        // answered once applied, or failed later (a leader that steps down), and may still commit.
        if (reply.isDone() && !reply.isCompletedExceptionally() && !reply.join().isSuccess()) {
            return null;
        }
        return reply;
    }
}
