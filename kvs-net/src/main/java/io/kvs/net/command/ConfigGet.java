package io.kvs.net.command;

import io.kvs.core.KvsLimits;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * CONFIG GET parameter [parameter ...]: the settings clients ask about, as name and value pairs
 * (a map in RESP3, a flat array in RESP2), each parameter a name or a glob pattern matched
 * ignoring case. Unknown names are left out, as in Redis. kvs has no settings to change at run
 * time, so there is no CONFIG SET.
 */
public record ConfigGet(List<byte[]> parameters) implements ConnectionCommand {

    static ConfigGet parse(Arguments args) {
        return new ConfigGet(List.copyOf(args.from(2)));
    }

    /** The parameters and their values on {@code server}. */
    private static Map<String, String> settings(ServerContext server) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("databases", "1");
        settings.put("save", "");
        settings.put("appendonly", "yes");
        settings.put("maxmemory", "0");
        settings.put("maxmemory-policy", "noeviction");
        settings.put("port", Integer.toString(server.port()));
        settings.put("proto-max-bulk-len", Integer.toString(KvsLimits.MAX_VALUE_BYTES));
        return settings;
    }

    @Override
    public Reply run(Session session, ServerContext server) {
        Map<String, String> settings = settings(server);
        java.util.Set<String> seen = new LinkedHashSet<>();
        List<Reply> pairs = new ArrayList<>();
        for (byte[] parameter : parameters) {
            String text = new String(parameter, StandardCharsets.UTF_8);
            boolean glob = text.indexOf('*') >= 0 || text.indexOf('?') >= 0 || text.indexOf('[') >= 0;
            if (!glob) {
                String value = settings.get(text.toLowerCase(Locale.ROOT));
                if (value != null && seen.add(text.toLowerCase(Locale.ROOT))) {
                    pairs.add(Reply.Bulk.of(text));
                    pairs.add(Reply.Bulk.of(value));
                }
                continue;
            }
            Glob pattern = Glob.ignoringCase(parameter);
            for (Map.Entry<String, String> setting : settings.entrySet()) {
                if (pattern.matches(setting.getKey().getBytes(StandardCharsets.US_ASCII)) && seen.add(setting.getKey())) {
                    pairs.add(Reply.Bulk.of(setting.getKey()));
                    pairs.add(Reply.Bulk.of(setting.getValue()));
                }
            }
        }
        return new Reply.MapReply(pairs);
    }
}
