package io.kvs.net.command;

/**
 * A request that could not be parsed into a command: running it answers {@code error}. As in
 * Redis, an unknown command or a wrong argument count ({@code abortsTransaction}) inside MULTI
 * dooms the transaction (EXEC answers EXECABORT); any other parse error (a syntax error, a bad
 * number) is queued and its error takes its place in EXEC's reply.
 */
public record Rejected(Reply.Error error, boolean abortsTransaction) implements Command {
}
