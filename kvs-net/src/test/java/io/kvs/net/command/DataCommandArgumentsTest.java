package io.kvs.net.command;

import io.kvs.core.KvStoreOptions;
import io.kvs.core.MutableClock;
import io.kvs.core.SyncPolicy;
import io.kvs.core.log.KvStore;
import io.kvs.net.resp.RespEncoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link DataCommand#arguments} is what a replication log ships: parsed again, it must give the
 * same command, for every data command and every option each takes.
 */
class DataCommandArgumentsTest {

    /** Requests covering every data command and its options, as a client would send them. */
    static final String[][] REQUESTS = {
            {"get", "k"},
            {"set", "k", "v"}, {"SET", "k", "v", "NX"}, {"set", "k", "v", "xx", "get"}, {"set", "k", "v", "EX", "10"},
            {"set", "k", "v", "px", "1500", "nx"}, {"set", "k", "v", "EXAT", "1900000000"}, {"set", "k", "v", "pxat", "1900000000123"},
            {"set", "k", "v", "KEEPTTL", "GET"},
            {"setnx", "k", "v"}, {"setex", "k", "5", "v"}, {"psetex", "k", "5", "v"}, {"getset", "k", "v"},
            {"getdel", "k"}, {"getex", "k"}, {"getex", "k", "ex", "3"}, {"getex", "k", "PXAT", "1900000000123"}, {"getex", "k", "persist"},
            {"mget", "a", "b", "c"}, {"mset", "a", "1", "b", "2"}, {"msetnx", "a", "1", "b", "2"},
            {"append", "k", "more"}, {"strlen", "k"},
            {"incr", "n"}, {"incrby", "n", "-9223372036854775808"}, {"decr", "n"}, {"decrby", "n", "7"},
            {"incrbyfloat", "f", "1.50"}, {"incrbyfloat", "f", "-3e-5"}, {"incrbyfloat", "f", "5.0e3"}, {"incrbyfloat", "f", "inf"},
            {"getrange", "k", "-3", "-1"}, {"substr", "k", "0", "4"}, {"setrange", "k", "6", "xyz"},
            {"del", "a", "b"}, {"unlink", "a"}, {"exists", "a", "a"}, {"touch", "a"}, {"type", "k"},
            {"expire", "k", "10"}, {"pexpire", "k", "-5", "NX"}, {"expireat", "k", "1900000000", "xx"},
            {"pexpireat", "k", "1900000000123", "gt"}, {"expire", "k", "10", "lt"}, {"expire", "k", "10", "XX", "LT"},
            {"ttl", "k"}, {"pttl", "k"}, {"expiretime", "k"}, {"pexpiretime", "k"}, {"persist", "k"},
            {"rename", "a", "b"}, {"renamenx", "a", "b"},
            {"scan", "0"}, {"scan", "18446744073709551615", "match", "user:*", "count", "100"}, {"scan", "5", "TYPE", "hash"},
            {"keys", "*"}, {"randomkey"}, {"dbsize"}, {"flushdb"}, {"flushall"},
    };

    @Test
    void everyDataCommandParsesBackFromItsArgumentsToTheSameArguments() {
        java.util.Set<Class<?>> covered = new HashSet<>();
        for (String[] request : REQUESTS) {
            DataCommand command = parse(Arguments.of(request));
            covered.add(command.getClass());
            List<byte[]> shipped = command.arguments();
            DataCommand again = parse(new Arguments(shipped));
            assertEquals(command.getClass(), again.getClass(), String.join(" ", request));
            assertEquals(text(shipped), text(again.arguments()), String.join(" ", request));
            assertEquals(command.writes(), again.writes(), String.join(" ", request));
        }
        assertEquals(new HashSet<>(Arrays.asList(DataCommand.class.getPermittedSubclasses())), covered,
                "a data command without a request in REQUESTS");
    }

    /** Applied to two engines holding the same keys at the same time, a command and its shipped form agree. */
    @Test
    void shippedCommandsGiveTheSameRepliesAndDataOnTheSameKeys(@TempDir Path dir) {
        int n = 0;
        for (String[] request : REQUESTS) {
            try (KvStore original = sample(dir.resolve("original-" + n)); KvStore replica = sample(dir.resolve("replica-" + n))) {
                DataCommand command = parse(Arguments.of(request));
                Reply expected = command.apply(new EngineKeys(original));
                Reply shipped = parse(new Arguments(command.arguments())).apply(new EngineKeys(replica));
                String what = String.join(" ", request);
                if (!(command instanceof RandomKey)) {
                    assertEquals(resp(expected), resp(shipped), what);
                }
                assertEquals(dump(original), dump(replica), what);
            }
            n++;
        }
    }

    private static KvStore sample(Path dir) {
        MutableClock clock = new MutableClock();
        KvStore store = KvStore.open(dir, KvStoreOptions.defaults().withSyncPolicy(SyncPolicy.NEVER).withClock(clock));
        long now = clock.millis();
        store.set(bytes("k"), bytes("hello"), now + 100_000);
        store.set(bytes("a"), bytes("1"));
        store.set(bytes("b"), bytes("x"));
        store.set(bytes("n"), bytes("41"));
        store.set(bytes("f"), bytes("2.5"));
        return store;
    }

    private static List<String> dump(KvStore store) {
        List<String> entries = new ArrayList<>();
        store.forEach(new byte[0], (key, value) -> entries.add(new String(key, StandardCharsets.UTF_8) + "="
                + new String(value, StandardCharsets.UTF_8) + "@" + store.getEntry(key).orElseThrow().expiresAtMillis()));
        java.util.Collections.sort(entries);
        return entries;
    }

    private static String resp(Reply reply) {
        return new String(RespEncoder.encode(reply, 2), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void relativeTimesAreShippedAsTheyCameAndResolvedByTheApplyingClock() {
        DataCommand command = parse(Arguments.of("set", "k", "v", "EX", "10"));
        assertEquals(List.of("SET", "k", "v", "PX", "10000"), text(command.arguments()));
        DataCommand expire = parse(Arguments.of("expireat", "k", "1900000000"));
        assertEquals(List.of("PEXPIREAT", "k", "1900000000000"), text(expire.arguments()));
    }

    private static DataCommand parse(Arguments arguments) {
        Command command = CommandTable.parse(arguments);
        return assertInstanceOf(DataCommand.class, command, () -> "not a data command: " + text(argumentsOf(arguments)));
    }

    private static List<byte[]> argumentsOf(Arguments arguments) {
        return arguments.from(0);
    }

    private static List<String> text(List<byte[]> arguments) {
        List<String> text = new ArrayList<>();
        for (byte[] argument : arguments) {
            assertTrue(argument != null);
            text.add(new String(argument, StandardCharsets.UTF_8));
        }
        return text;
    }
}
