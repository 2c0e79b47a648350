package io.kvs.net.command;

/**
 * One request, independent of the protocol it arrived in: a codec parses it from bytes (the kvs
 * frames or RESP), the {@link CommandRunner} runs it, and the codec writes its {@link Reply}.
 * A command is a value: its arguments are fixed when it is parsed, so the same command gives
 * the same reply on the same data, and can be queued (MULTI) or, later, shipped to a
 * replication log.
 *
 * <ul>
 *   <li>{@link DataCommand}s read and write keys, through {@link Keys} only.
 *   <li>{@link ConnectionCommand}s act on the connection or the server (PING, AUTH, HELLO,
 *       CLIENT, MULTI/EXEC, INFO ...).
 *   <li>{@link Rejected} is a request that failed to parse: running it answers its error.
 * </ul>
 */
public sealed interface Command permits DataCommand, ConnectionCommand, Rejected {
}
