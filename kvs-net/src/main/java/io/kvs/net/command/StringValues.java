package io.kvs.net.command;

import io.kvs.core.KvsLimits;

/** What the string commands share: the value limit and its error. */
final class StringValues {

    /** The longest value: the engine's limit. */
    static final int MAX_BYTES = KvsLimits.MAX_VALUE_BYTES;

    private StringValues() {
    }

    /** The error for a command whose result would pass {@link #MAX_BYTES}. */
    static Reply.Error tooLong() {
        return new Reply.Error(Reply.Failure.LIMIT, "ERR", "string exceeds maximum allowed size (proto-max-bulk-len)");
    }
}
