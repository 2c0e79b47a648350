/**
 * The replicated mode (specified in {@code docs/REPLICATION.md}): {@link io.kvs.raft.RaftNode}
 * runs one node of a three-node Apache Ratis group around the node's engine;
 * {@code RaftReplication} submits the event loops' data commands to it, one log entry
 * for every burst waiting, and {@code KvsStateMachine} applies the entries, in log
 * order, to the engine, with the applied index stored in the same engine transaction. Snapshots
 * are engine checkpoints ({@code CheckpointStorage}).
 */
package io.kvs.raft;
