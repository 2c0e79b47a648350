package io.kvs.raft;

import java.util.Optional;

/**
 * What a replica's engine has applied of the Raft log: the term and index of the last entry, and
 * the replicated clock's time after it. Recorded as the engine's metadata in the same atomic
 * batch as the entry's writes ({@link io.kvs.net.command.EngineKeys#atomically(java.util.function.Function, byte[])}),
 * so after a crash the engine says exactly which entries it holds: none is applied twice or
 * skipped. Encoding: version byte 1, then term, index and time as big-endian longs (25 bytes).
 */
record AppliedState(long term, long index, long timeMillis) {

    static final int VERSION = 1;
    /** Before the first entry. */
    static final AppliedState NONE = new AppliedState(0, -1, 0);

    byte[] encode() {
        return new Wire.Writer().writeByte(VERSION).writeLong(term).writeLong(index).writeLong(timeMillis).toByteArray();
    }

    /** The state in an engine's metadata ({@link #NONE} if it has none). */
    static AppliedState of(Optional<byte[]> metadata) {
        if (metadata.isEmpty()) {
            return NONE;
        }
        Wire.Reader in = new Wire.Reader(metadata.get());
        int version = in.readByte();
        if (version != VERSION) {
            throw new MalformedMessageException("the engine's metadata is not a replica's applied state (version "
                    + version + ")");
        }
        AppliedState state = new AppliedState(in.readLong(), in.readLong(), in.readLong());
        in.end();
        return state;
    }
}
