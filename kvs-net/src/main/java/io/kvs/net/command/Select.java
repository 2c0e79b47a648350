package io.kvs.net.command;

/** SELECT index: kvs has one database, 0; any other index is out of range. */
public record Select(long index) implements ConnectionCommand {

    static Select parse(Arguments args) {
        long index = args.integer(1);
        if (index < Integer.MIN_VALUE || index > Integer.MAX_VALUE) {
            throw new InvalidCommandException(Reply.err("value is out of range, value must between -2147483648 and 2147483647"));
        }
        return new Select(index);
    }

    @Override
    public Reply run(Session session, ServerContext server) {
        return index == 0 ? Reply.OK : Reply.err("DB index is out of range");
    }
}
