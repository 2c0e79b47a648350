package io.kvs.net.command;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The kvs protocol's STATUS request: the node's place in its Raft group as {@code field:value}
 * lines (INFO's {@code # Raft} fields), or {@code raft_role:standalone} for a single server.
 */
public record NodeStatus() implements ConnectionCommand {

    @Override
    public Reply run(Session session, ServerContext server) {
        StringBuilder text = new StringBuilder();
        Replication replication = server.replication();
        Map<String, String> fields = replication == null ? Map.of("raft_role", "standalone") : replication.info();
        fields.forEach((name, value) -> text.append(name).append(':').append(value).append('\n'));
        return new Reply.Bulk(text.toString().getBytes(StandardCharsets.UTF_8));
    }
}
