package io.kvs.net.command;

/**
 * A request that could not be parsed into a command: running it answers {@code error}. As in
 * Redis, an unknown command or a wrong argument count ({@code abortsTransaction}) inside MULTI
 * dooms the transaction (EXEC answers EXECABORT); any other parse error (a syntax error, a bad
 * number) is queued and its error takes its place in EXEC's reply. An EXEC with arguments
 * ({@code endsTransaction}) ends any transaction at once and answers EXECABORT naming its error,
 * inside MULTI or not, as Redis does.
 */
public record Rejected(Reply.Error error, boolean abortsTransaction, boolean endsTransaction) implements Command {

    /** A request rejected with {@code error}; {@code abortsTransaction} as above. */
    public Rejected(Reply.Error error, boolean abortsTransaction) {
        this(error, abortsTransaction, false);
    }
}
