package io.kvs.net.command;

import java.util.ArrayList;
import java.util.List;

/**
 * COMMAND, COMMAND COUNT, COMMAND INFO [name ...], COMMAND DOCS [name ...] and COMMAND LIST:
 * what {@link CommandTable} holds, in Redis's shapes (enough for redis-cli's help and for client
 * libraries that look commands up).
 */
public record CommandIntrospection(Sub sub, List<String> names) implements ConnectionCommand {

    /** The forms. */
    public enum Sub { ALL, COUNT, INFO, DOCS, LIST }

    static CommandIntrospection parse(Arguments args, Sub sub) {
        List<String> names = new ArrayList<>();
        int from = sub == Sub.ALL ? 1 : 2;
        if (sub == Sub.LIST && args.count() > 2) {
            throw InvalidCommandException.syntax();
        }
        for (int i = from; i < args.count(); i++) {
            names.add(args.text(i));
        }
        return new CommandIntrospection(sub, names);
    }

    @Override
    public Reply run(Session session, ServerContext server) {
        return switch (sub) {
            case COUNT -> Reply.integer(CommandTable.all().size());
            case ALL -> info(new ArrayList<>(CommandTable.all()));
            case INFO -> names.isEmpty() ? info(new ArrayList<>(CommandTable.all())) : infoOf(names);
            case DOCS -> docs();
            case LIST -> {
                List<Reply> all = new ArrayList<>();
                for (CommandTable.Spec spec : CommandTable.all()) {
                    all.add(Reply.Bulk.of(spec.name()));
                    for (CommandTable.Spec subcommand : spec.subcommands().values()) {
                        all.add(Reply.Bulk.of(subcommand.name()));
                    }
                }
                yield new Reply.Array(all);
            }
        };
    }

    private static Reply infoOf(List<String> names) {
        List<Reply> entries = new ArrayList<>();
        for (String name : names) {
            CommandTable.Spec spec = CommandTable.find(name);
            entries.add(spec == null ? Reply.NULL : entry(spec));
        }
        return new Reply.Array(entries);
    }

    private static Reply info(List<CommandTable.Spec> specs) {
        List<Reply> entries = new ArrayList<>();
        for (CommandTable.Spec spec : specs) {
            entries.add(entry(spec));
        }
        return new Reply.Array(entries);
    }

    /** COMMAND INFO's ten-element entry. */
    private static Reply entry(CommandTable.Spec spec) {
        List<Reply> flags = new ArrayList<>();
        for (String flag : spec.flags()) {
            flags.add(new Reply.Status(flag));
        }
        List<Reply> subcommands = new ArrayList<>();
        for (CommandTable.Spec sub : spec.subcommands().values()) {
            subcommands.add(entry(sub));
        }
        // Flags, ACL categories, tips and key specifications are RESP3 sets, as Redis sends them.
        return new Reply.Array(List.of(Reply.Bulk.of(spec.name()), Reply.integer(spec.arity()), new Reply.SetReply(flags),
                Reply.integer(spec.firstKey()), Reply.integer(spec.lastKey()), Reply.integer(spec.step()),
                new Reply.SetReply(categories(spec)), new Reply.SetReply(List.of()), new Reply.SetReply(List.of()),
                new Reply.Array(subcommands)));
    }

    private static List<Reply> categories(CommandTable.Spec spec) {
        List<Reply> categories = new ArrayList<>();
        if (spec.group() != null && spec.group().equals("generic")) {
            categories.add(new Reply.Status("@keyspace"));
        }
        if (spec.flags().contains("readonly")) {
            categories.add(new Reply.Status("@read"));
        }
        if (spec.flags().contains("write")) {
            categories.add(new Reply.Status("@write"));
        }
        if (spec.group() != null && spec.group().equals("string")) {
            categories.add(new Reply.Status("@string"));
        }
        if (spec.flags().contains("admin")) {
            categories.add(new Reply.Status("@admin"));
            categories.add(new Reply.Status("@dangerous"));
        }
        categories.add(new Reply.Status(spec.flags().contains("fast") ? "@fast" : "@slow"));
        if (spec.group() != null && spec.group().equals("connection")) {
            categories.add(new Reply.Status("@connection"));
        }
        if (spec.group() != null && spec.group().equals("transactions")) {
            categories.add(new Reply.Status("@transaction"));
        }
        return categories;
    }

    private Reply docs() {
        List<Reply> map = new ArrayList<>();
        List<CommandTable.Spec> specs = new ArrayList<>();
        if (names.isEmpty()) {
            specs.addAll(CommandTable.all());
        } else {
            for (String name : names) {
                CommandTable.Spec spec = CommandTable.find(name);
                if (spec != null) {
                    specs.add(spec);
                }
            }
        }
        for (CommandTable.Spec spec : specs) {
            map.add(Reply.Bulk.of(spec.name()));
            map.add(doc(spec));
        }
        return new Reply.MapReply(map);
    }

    private static Reply doc(CommandTable.Spec spec) {
        List<Reply> doc = new ArrayList<>(List.of(
                Reply.Bulk.of("summary"), Reply.Bulk.of(spec.summary()),
                Reply.Bulk.of("since"), Reply.Bulk.of(spec.since()),
                Reply.Bulk.of("group"), Reply.Bulk.of(spec.group() == null ? "server" : spec.group()),
                Reply.Bulk.of("arguments"), new Reply.Array(List.of())));
        if (!spec.subcommands().isEmpty()) {
            List<Reply> subs = new ArrayList<>();
            for (CommandTable.Spec sub : spec.subcommands().values()) {
                subs.add(Reply.Bulk.of(sub.name()));
                subs.add(doc(sub));
            }
            doc.add(Reply.Bulk.of("subcommands"));
            doc.add(new Reply.MapReply(subs));
        }
        return new Reply.MapReply(doc);
    }
}
