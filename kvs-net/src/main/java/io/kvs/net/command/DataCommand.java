package io.kvs.net.command;

import java.util.List;

/**
 * A command that reads or writes keys, through {@link Keys} only, so it means the same on its
 * own and inside MULTI/EXEC. {@link #apply} never throws for an expected outcome (a wrong
 * type, a missing key, a value that is not a number): those are error replies. Engine failures
 * (storage, limits) propagate and the {@link CommandRunner} answers them.
 */
public sealed interface DataCommand extends Command permits Get, Set, SetIfAbsent, GetDel, GetEx, MultiGet, MultiSet,
        Append, StrLen, IncrBy, IncrByFloat, GetRange, SetRange, Del, Exists, Type, Expire, Persist, TimeToLive,
        Rename, Scan, KeysMatching, RandomKey, DbSize, FlushDb {

    /** Runs the command against {@code keys}. */
    Reply apply(Keys keys);

    /**
     * Adds to {@code into} the keys whose values the command will read, for a
     * {@link Keys#prefetch} ahead of it; the default adds none.
     */
    default void addKeysRead(List<byte[]> into) {
    }

    /** True if the command may change data (only these need to reach a replication log). */
    boolean writes();

    /**
     * The command as RESP arguments, the name first, that {@link CommandTable#parse} turns back
     * into the same command: the form a replication log ships. Times stay as the request gave
     * them; a time from now is resolved by the clock of the {@link Keys} the command is applied to.
     */
    List<byte[]> arguments();
}
