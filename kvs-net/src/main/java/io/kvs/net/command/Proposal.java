package io.kvs.net.command;

import java.util.List;

/**
 * Data commands a replicated server submits as one unit of its log, answered with one
 * {@link Reply}: a single command (its reply), or the data commands of an EXEC, applied
 * atomically (an array of their replies, in order).
 */
public record Proposal(List<DataCommand> commands, boolean atomic) {

    public Proposal {
        commands = List.copyOf(commands);
        if (!atomic && commands.size() != 1) {
            throw new IllegalArgumentException("a proposal that is not atomic holds one command, not " + commands.size());
        }
    }

    /** One command. */
    public static Proposal of(DataCommand command) {
        return new Proposal(List.of(command), false);
    }

    /** True if any command may change data: the proposal must go through the log, not a read. */
    public boolean writes() {
        for (DataCommand command : commands) {
            if (command.writes()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Applies the proposal to {@code keys}, failures as error replies ({@link CommandRunner#apply}):
     * the reply of a single command, or an array of the replies of an atomic one, run in one
     * transaction.
     */
    public Reply apply(Keys keys) {
        if (!atomic) {
            return CommandRunner.apply(commands.get(0), keys);
        }
        return keys.atomically(inside -> {
            Reply[] replies = new Reply[commands.size()];
            for (int i = 0; i < replies.length; i++) {
                replies[i] = CommandRunner.apply(commands.get(i), inside);
            }
            return new Reply.Array(List.of(replies));
        });
    }
}
