package io.kvs.raft;

import io.kvs.core.KvsException;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.GroupInfoReply;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.util.TimeDuration;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Changes who is in a running group (Ratis's {@code setConfiguration}): {@link #add} a node
 * started empty with {@code --raft-join}, which the leader then brings up to date (by log or by
 * snapshot) before the change commits; {@link #remove} a node, which shuts itself down. The
 * current members are asked for, not assumed.
 */
public final class RaftMembership {

    private RaftMembership() {
    }

    /**
     * Adds {@code peer} to the group that {@code known} (any of its members) belongs to; returns
     * the members after the change.
     *
     * @throws KvsException if no member answers, the peer is already a member, or the change fails
     */
    public static List<RaftPeer> add(List<RaftPeer> known, RaftPeer peer, Duration timeout) {
        List<RaftPeer> current = members(known, timeout);
        for (RaftPeer member : current) {
            if (member.getId().equals(peer.getId())) {
                throw new KvsException("Raft peer " + peer.getId() + " is already a member: " + RaftPeers.format(current));
            }
        }
        List<RaftPeer> next = new ArrayList<>(current);
        next.add(peer);
        return change(current, next, timeout);
    }

    /**
     * Removes the member {@code id} from the group that {@code known} belongs to; returns the
     * members after the change.
     *
     * @throws KvsException if no member answers, {@code id} is not a member, or the change fails
     */
    public static List<RaftPeer> remove(List<RaftPeer> known, String id, Duration timeout) {
        List<RaftPeer> current = members(known, timeout);
        List<RaftPeer> next = new ArrayList<>();
        for (RaftPeer member : current) {
            if (!member.getId().toString().equals(id)) {
                next.add(member);
            }
        }
        if (next.size() == current.size()) {
            throw new KvsException("Raft peer " + id + " is not a member: " + RaftPeers.format(current));
        }
        if (next.isEmpty()) {
            throw new KvsException("cannot remove the last member of the group");
        }
        return change(current, next, timeout);
    }

    /** The members of the group, as the first of {@code known} that answers says. */
    public static List<RaftPeer> members(List<RaftPeer> known, Duration timeout) {
        IOException last = null;
        try (RaftClient client = client(known, timeout)) {
            for (RaftPeer peer : known) {
                try {
                    GroupInfoReply info = client.getGroupManagementApi(peer.getId()).info(RaftNode.GROUP_ID);
                    return List.copyOf(info.getGroup().getPeers());
                } catch (IOException e) {
                    last = e;
                }
            }
        } catch (IOException e) {
            last = e;
        }
        throw new KvsException("no Raft peer of " + RaftPeers.format(known) + " answered"
                + (last == null ? "" : ": " + last.getMessage()), last);
    }

    private static List<RaftPeer> change(List<RaftPeer> current, List<RaftPeer> next, Duration timeout) {
        try (RaftClient client = client(current, timeout)) {
            RaftClientReply reply = client.admin().setConfiguration(next);
            if (!reply.isSuccess()) {
                throw new KvsException("the group refused the change to " + RaftPeers.format(next) + ": " + reply.getException());
            }
            return List.copyOf(next);
        } catch (IOException e) {
            throw new KvsException("cannot change the group to " + RaftPeers.format(next) + ": " + e.getMessage(), e);
        }
    }

    private static RaftClient client(List<RaftPeer> peers, Duration timeout) {
        RaftProperties properties = new RaftProperties();
        RaftClientConfigKeys.Rpc.setRequestTimeout(properties, TimeDuration.valueOf(timeout.toMillis(), TimeUnit.MILLISECONDS));
        return RaftClient.newBuilder()
                .setRaftGroup(RaftGroup.valueOf(RaftNode.GROUP_ID, peers))
                .setProperties(properties)
                .setRetryPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(
                        (int) Math.max(1, timeout.toMillis() / 100), TimeDuration.valueOf(100, TimeUnit.MILLISECONDS)))
                .build();
    }
}
