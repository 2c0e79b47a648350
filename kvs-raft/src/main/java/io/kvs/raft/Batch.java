package io.kvs.raft;

import io.kvs.net.command.Arguments;
import io.kvs.net.command.Command;
import io.kvs.net.command.CommandTable;
import io.kvs.net.command.DataCommand;
import io.kvs.net.command.Proposal;

import java.util.ArrayList;
import java.util.List;

/**
 * The content of one Raft log entry, or of one linearizable read: the proposals of every
 * connection that were waiting when it was sent (group commit), and the time the leader gave it.
 * Every command travels as its RESP arguments ({@link DataCommand#arguments}) and is parsed
 * again where it is applied, so a log entry is a list of Redis commands.
 *
 * <p>Encoding (docs/FORMAT.md, "Replicated mode"): version byte 1, the time in milliseconds since
 * the epoch (long; 0 until the leader stamps it), the number of proposals (int), and for each:
 * a flags byte (bit 0: atomic), the number of commands (int), and for each command the number of
 * arguments (int) and each argument as an int length and its bytes.
 */
record Batch(long timeMillis, List<Proposal> proposals) {

    static final int VERSION = 1;
    private static final int ATOMIC = 1;
    /** Byte offset of the time in an encoded batch: the leader overwrites it. */
    static final int TIME_OFFSET = 1;

    Batch {
        proposals = List.copyOf(proposals);
    }

    /** A batch with no proposals: it only moves the replicated clock forward. */
    static Batch tick() {
        return new Batch(0, List.of());
    }

    byte[] encode() {
        List<byte[]> encoded = new ArrayList<>(proposals.size());
        for (Proposal proposal : proposals) {
            encoded.add(encode(proposal));
        }
        return encode(timeMillis, encoded);
    }

    /** One proposal as it stands in a batch (its flags, commands and their arguments). */
    static byte[] encode(Proposal proposal) {
        Wire.Writer out = new Wire.Writer().writeByte(proposal.atomic() ? ATOMIC : 0).writeInt(proposal.commands().size());
        for (DataCommand command : proposal.commands()) {
            List<byte[]> arguments = command.arguments();
            out.writeInt(arguments.size());
            for (byte[] argument : arguments) {
                out.writeBytes(argument);
            }
        }
        return out.toByteArray();
    }

    /** A batch of proposals already encoded by {@link #encode(Proposal)}. */
    static byte[] encode(long timeMillis, List<byte[]> encodedProposals) {
        Wire.Writer out = new Wire.Writer().writeByte(VERSION).writeLong(timeMillis).writeInt(encodedProposals.size());
        for (byte[] proposal : encodedProposals) {
            out.writeRaw(proposal);
        }
        return out.toByteArray();
    }

    /** The batch {@code bytes} encode, every command parsed again. */
    static Batch decode(byte[] bytes) {
        Wire.Reader in = new Wire.Reader(bytes);
        int version = in.readByte();
        if (version != VERSION) {
            throw new MalformedMessageException("unknown batch version " + version);
        }
        long time = in.readLong();
        int count = in.readCount(5);
        List<Proposal> proposals = new ArrayList<>(count);
        for (int p = 0; p < count; p++) {
            boolean atomic = (in.readByte() & ATOMIC) != 0;
            int commands = in.readCount(4);
            List<DataCommand> data = new ArrayList<>(commands);
            for (int c = 0; c < commands; c++) {
                data.add(parse(in));
            }
            if (!atomic && data.size() != 1) {
                throw new MalformedMessageException("a proposal that is not atomic holds " + data.size() + " commands");
            }
            proposals.add(new Proposal(data, atomic));
        }
        in.end();
        return new Batch(time, proposals);
    }

    /** The same bytes with the time set to {@code timeMillis} (the leader's stamp). */
    static byte[] withTime(byte[] bytes, long timeMillis) {
        byte[] stamped = bytes.clone();
        for (int i = 0; i < Long.BYTES; i++) {
            stamped[TIME_OFFSET + i] = (byte) (timeMillis >>> (56 - 8 * i));
        }
        return stamped;
    }

    private static DataCommand parse(Wire.Reader in) {
        int count = in.readCount(4);
        if (count == 0) {
            throw new MalformedMessageException("a command without arguments");
        }
        List<byte[]> arguments = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            arguments.add(in.readBytes());
        }
        Command command = CommandTable.parse(new Arguments(arguments));
        if (!(command instanceof DataCommand data)) {
            throw new MalformedMessageException("not a data command: " + new String(arguments.get(0),
                    java.nio.charset.StandardCharsets.UTF_8));
        }
        return data;
    }

    /** True if any proposal may change data. */
    boolean writes() {
        for (Proposal proposal : proposals) {
            if (proposal.writes()) {
                return true;
            }
        }
        return false;
    }
}
