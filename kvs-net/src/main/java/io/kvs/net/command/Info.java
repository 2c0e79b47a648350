package io.kvs.net.command;

import io.kvs.core.EngineStats;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * INFO [section ...]: the server's state as Redis's {@code # Section} blocks of
 * {@code field:value} lines: server, clients, memory, persistence, stats, replication, raft
 * (a replicated server only) and keyspace, the data figures taken from the engine's {@link EngineStats} (no scan). Fields
 * that kvs adds start with {@code kvs_}. No section named (or {@code default}, {@code all},
 * {@code everything}) means all of them; an unknown section gives empty text.
 */
public record Info(List<String> sections) implements ConnectionCommand {

    private static final List<String> ALL = List.of("server", "clients", "memory", "persistence", "stats", "replication",
            "raft", "keyspace");
    /** The run id Redis reports, fixed for this process. */
    private static final String RUN_ID = runId();

    static Info parse(Arguments args) {
        List<String> sections = new ArrayList<>();
        for (int i = 1; i < args.count(); i++) {
            String section = args.text(i).toLowerCase(Locale.ROOT);
            if (section.equals("default") || section.equals("all") || section.equals("everything")) {
                return new Info(ALL);
            }
            if (!sections.contains(section)) {
                sections.add(section);
            }
        }
        return new Info(sections.isEmpty() ? ALL : List.copyOf(sections));
    }

    @Override
    public Reply run(Session session, ServerContext server) {
        EngineStats stats = server.keys().engine().stats();
        StringBuilder text = new StringBuilder();
        for (String section : ALL) {
            if (!sections.contains(section) || section.equals("raft") && server.replication() == null) {
                continue;
            }
            if (text.length() > 0) {
                text.append("\r\n");
            }
            switch (section) {
                case "server" -> server(text, server);
                case "clients" -> {
                    header(text, "Clients");
                    field(text, "connected_clients", server.sessions().size());
                    field(text, "blocked_clients", 0);
                    field(text, "tracking_clients", 0);
                    field(text, "pubsub_clients", 0);
                }
                case "memory" -> memory(text);
                case "persistence" -> {
                    header(text, "Persistence");
                    field(text, "loading", 0);
                    field(text, "async_loading", 0);
                    field(text, "rdb_changes_since_last_save", 0);
                    field(text, "rdb_bgsave_in_progress", 0);
                    field(text, "rdb_last_bgsave_status", "ok");
                    field(text, "aof_enabled", 0);
                    field(text, "aof_rewrite_in_progress", 0);
                    field(text, "aof_last_write_status", "ok");
                    field(text, "kvs_engine", server.engineName());
                    field(text, "kvs_disk_bytes", stats.diskBytes());
                    field(text, "kvs_live_bytes", stats.liveBytes());
                    field(text, "kvs_stale_bytes", stats.staleBytes());
                    field(text, "kvs_segments", stats.segments());
                    field(text, "kvs_compactions", stats.compactions());
                }
                case "stats" -> {
                    header(text, "Stats");
                    field(text, "total_connections_received", server.connectionsReceived());
                    field(text, "total_commands_processed", server.commandsProcessed());
                    field(text, "rejected_connections", 0);
                    field(text, "expired_keys", stats.expiredKeysReclaimed());
                    field(text, "evicted_keys", 0);
                    field(text, "total_error_replies", server.errorReplies());
                    field(text, "kvs_reads", stats.reads());
                    field(text, "kvs_writes", stats.writes());
                }
                case "replication" -> {
                    header(text, "Replication");
                    field(text, "role", "master");
                    field(text, "connected_slaves", 0);
                }
                case "raft" -> {
                    header(text, "Raft");
                    server.replication().info().forEach((name, value) -> field(text, name, value));
                }
                case "keyspace" -> {
                    header(text, "Keyspace");
                    if (stats.keys() > 0 || stats.keysWithExpiry() > 0) {
                        text.append("db0:keys=").append(stats.keys()).append(",expires=").append(stats.keysWithExpiry())
                                .append(",avg_ttl=0,subexpiry=0\r\n");
                    }
                }
                default -> throw new IllegalStateException("section " + section);
            }
        }
        return new Reply.Verbatim(text.toString());
    }

    private static void server(StringBuilder text, ServerContext server) {
        long nowMillis = server.clock().millis();
        long uptimeSeconds = Math.max(0, (nowMillis - server.startMillis()) / 1000);
        header(text, "Server");
        field(text, "redis_version", ServerContext.REDIS_VERSION);
        field(text, "kvs_version", server.kvsVersion());
        field(text, "redis_mode", "standalone");
        field(text, "os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        field(text, "arch_bits", System.getProperty("os.arch", "").contains("64") ? 64 : 32);
        field(text, "process_id", ProcessHandle.current().pid());
        field(text, "run_id", RUN_ID);
        field(text, "tcp_port", server.port());
        field(text, "server_time_usec", nowMillis * 1000);
        field(text, "uptime_in_seconds", uptimeSeconds);
        field(text, "uptime_in_days", uptimeSeconds / 86_400);
        field(text, "java_version", System.getProperty("java.version"));
    }

    private static void memory(StringBuilder text) {
        Runtime runtime = Runtime.getRuntime();
        long used = runtime.totalMemory() - runtime.freeMemory();
        header(text, "Memory");
        field(text, "used_memory", used);
        field(text, "used_memory_human", human(used));
        field(text, "used_memory_peak", ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted());
        field(text, "maxmemory", 0);
        field(text, "maxmemory_human", "0B");
        field(text, "maxmemory_policy", "noeviction");
        field(text, "mem_allocator", "jvm");
        field(text, "kvs_heap_max_bytes", runtime.maxMemory());
    }

    private static void header(StringBuilder text, String name) {
        text.append("# ").append(name).append("\r\n");
    }

    private static void field(StringBuilder text, String name, Object value) {
        text.append(name).append(':').append(value).append("\r\n");
    }

    /** Bytes as Redis's {@code used_memory_human} writes them: {@code 1.02M}. */
    static String human(long bytes) {
        String[] units = {"B", "K", "M", "G", "T"};
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return unit == 0 ? bytes + "B" : String.format(Locale.ROOT, "%.2f%s", value, units[unit]);
    }

    private static String runId() {
        byte[] bytes = new byte[20];
        ThreadLocalRandom.current().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
