/**
 * The protocol-neutral command model: one small class per command (a sealed hierarchy under
 * {@link io.kvs.net.command.Command}), parsed from either protocol's arguments, run against the
 * engine by {@link io.kvs.net.command.CommandRunner}, and answered with a
 * {@link io.kvs.net.command.Reply} that each codec encodes. Data commands can also be proposed
 * through the {@link io.kvs.net.command.Replication} seam, which the replicated mode implements.
 */
package io.kvs.net.command;
