package io.kvs.net.command;

import io.kvs.core.KvStoreOptions;
import io.kvs.core.MutableClock;
import io.kvs.core.SyncPolicy;
import io.kvs.core.log.KvStore;
import io.kvs.net.resp.RespEncoder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Commands as Redis answers them, byte for byte on the wire (RESP2 unless a case says 3), on a
 * real engine with a fake clock: the expected replies are Redis 7.4's (its documentation and
 * source), including the exact error strings clients match.
 */
class RedisSemanticsTest {

    @TempDir
    Path dir;
    private KvStore engine;
    private MutableClock clock;
    private ServerContext server;
    private Session session;

    @BeforeEach
    void open() {
        clock = new MutableClock();
        engine = KvStore.open(dir, KvStoreOptions.defaults().withSyncPolicy(SyncPolicy.NEVER).withClock(clock));
        server = new ServerContext(engine, "kvs", "test", 4000, null);
        session = server.open("127.0.0.1:5000", "127.0.0.1:4000");
    }

    @AfterEach
    void close() {
        engine.close();
    }

    /** The RESP bytes of the reply to the request {@code args}, CR and LF shown as \r and \n. */
    private String run(String... args) {
        Reply reply = server.runner().execute(session, CommandTable.parse(Arguments.of(args)));
        return new String(RespEncoder.encode(reply, session.protocol()), StandardCharsets.UTF_8)
                .replace("\r", "\\r").replace("\n", "\\n");
    }

    private void check(String expected, String... args) {
        assertEquals(expected, run(args), String.join(" ", args));
    }

    @Test
    void errorsForUnknownCommandsAndArityAreRedis() {
        check("-ERR unknown command 'FOO', with args beginning with: 'a' 'b' \\r\\n", "FOO", "a", "b");
        check("-ERR unknown command 'foo', with args beginning with: \\r\\n", "foo");
        check("-ERR wrong number of arguments for 'get' command\\r\\n", "GET");
        check("-ERR wrong number of arguments for 'get' command\\r\\n", "get", "a", "b");
        check("-ERR wrong number of arguments for 'client|setname' command\\r\\n", "CLIENT", "SETNAME");
        check("-ERR wrong number of arguments for 'client' command\\r\\n", "CLIENT");
        check("-ERR unknown subcommand 'nope'. Try CLIENT HELP.\\r\\n", "client", "nope");
        check("-ERR unknown command 'LPUSH', with args beginning with: 'list' 'x' \\r\\n", "LPUSH", "list", "x");
        check("-ERR wrong number of arguments for 'mset' command\\r\\n", "MSET", "a", "1", "b");
    }

    @Test
    void setOptionsAndTheirErrors() {
        check("+OK\\r\\n", "SET", "k", "v");
        check("$-1\\r\\n", "SET", "k", "w", "NX");
        check("$1\\r\\nv\\r\\n", "SET", "k", "w", "GET");
        check("$1\\r\\nw\\r\\n", "SET", "k", "x", "NX", "GET");
        check("$-1\\r\\n", "SET", "new", "x", "XX");
        check("-ERR syntax error\\r\\n", "SET", "k", "v", "NX", "XX");
        check("-ERR syntax error\\r\\n", "SET", "k", "v", "EX", "10", "PX", "10");
        check("-ERR syntax error\\r\\n", "SET", "k", "v", "KEEPTTL", "EX", "10");
        check("-ERR syntax error\\r\\n", "SET", "k", "v", "EX");
        check("-ERR invalid expire time in 'set' command\\r\\n", "SET", "k", "v", "EX", "0");
        check("-ERR value is not an integer or out of range\\r\\n", "SET", "k", "v", "EX", "ten");
        check("+OK\\r\\n", "SET", "t", "v", "PX", "1500");
        check(":2\\r\\n", "TTL", "t");
        check(":1500\\r\\n", "PTTL", "t");
        check("+OK\\r\\n", "SET", "t", "w", "KEEPTTL");
        check(":1500\\r\\n", "PTTL", "t");
        check("+OK\\r\\n", "SET", "t", "x");
        check(":-1\\r\\n", "PTTL", "t");
        check("+OK\\r\\n", "SET", "past", "x", "PXAT", "1");
        check(":0\\r\\n", "EXISTS", "past");
        check("-ERR invalid expire time in 'setex' command\\r\\n", "SETEX", "k", "0", "v");
        check("-ERR invalid expire time in 'psetex' command\\r\\n", "PSETEX", "k", "-5", "v");
    }

    /** Found by running random command sequences against redis-server 7.0 and kvs side by side. */
    @Test
    void setAndGetexReadEveryOptionBeforeAnyNumberAndLetOptionsRepeat() {
        check("-ERR syntax error\\r\\n", "SET", "k", "v", "ex", "EXAT", "0");
        check("-ERR syntax error\\r\\n", "SET", "k", "v", "EX", "x", "PX", "10");
        check("-ERR syntax error\\r\\n", "SET", "k", "v", "EX", "-1", "bogus");
        check("-ERR syntax error\\r\\n", "SET", "k", "v", "EX", "10", "KEEPTTL");
        check("-ERR invalid expire time in 'set' command\\r\\n", "SET", "k", "v", "ex", "XX", "EX", "-1");
        check("+OK\\r\\n", "SET", "k", "v", "NX", "NX");
        check("$1\\r\\nv\\r\\n", "SET", "k", "w", "KEEPTTL", "KEEPTTL", "GET", "GET");
        check("+OK\\r\\n", "SET", "k", "v", "EX", "100", "EX", "200");
        check(":200\\r\\n", "TTL", "k");
        check("$-1\\r\\n", "GETEX", "missing", "PX", "x");
        check("$-1\\r\\n", "GETEX", "missing", "EX", "-1");
        check("-ERR value is not an integer or out of range\\r\\n", "GETEX", "k", "PX", "x");
        check("-ERR invalid expire time in 'getex' command\\r\\n", "GETEX", "k", "EX", "-1");
        check(":200\\r\\n", "TTL", "k");
        check("-ERR syntax error\\r\\n", "GETEX", "missing", "PX", "x", "NX");
        check("$1\\r\\nv\\r\\n", "GETEX", "k", "PERSIST", "PERSIST");
        check(":-1\\r\\n", "TTL", "k");
        check("$1\\r\\nv\\r\\n", "GETEX", "k", "EX", "100", "EX", "300");
        check(":300\\r\\n", "TTL", "k");
    }

    @Test
    void expireReadsItsOptionsBeforeItsTime() {
        check("-ERR Unsupported option foo\\r\\n", "EXPIRE", "k", "x", "foo");
        // As Redis, line breaks at the end of an error are dropped and those inside become spaces.
        check("-ERR Unsupported option a b\\r\\n", "EXPIRE", "k", "5", "a b\r\n");
        check("-ERR Unsupported option x y\\r\\n", "EXPIRE", "k", "5", "x\ry");
        // An argument is printed up to its first NUL byte, as C's %s prints it.
        check("-ERR Unsupported option ab\\r\\n", "EXPIRE", "k", "5", "ab\0cd");
        check("-ERR unknown command 'FOO', with args beginning with: 'a' '' \\r\\n", "FOO", "a\0b", "\0b");
        check("-ERR NX and XX, GT or LT options at the same time are not compatible\\r\\n", "PEXPIRE", "k", "x", "NX", "GT");
        check("-ERR GT and LT options at the same time are not compatible\\r\\n", "EXPIRE", "k", "x", "GT", "LT");
        check("-ERR value is not an integer or out of range\\r\\n", "EXPIRE", "k", "x", "NX");
    }

    /** Found side by side with redis-server: its matcher never matches the empty key but for "*" alone. */
    @Test
    void theEmptyKeyMatchesOnlyTheEmptyPatternAndAStarAlone() {
        check("+OK\\r\\n", "SET", "", "v");
        check("*1\\r\\n$0\\r\\n\\r\\n", "KEYS", "*");
        check("*0\\r\\n", "KEYS", "**");
        check("*1\\r\\n$0\\r\\n\\r\\n", "KEYS", "");
        check("*2\\r\\n$1\\r\\n0\\r\\n*0\\r\\n", "SCAN", "0", "MATCH", "**");
    }

    @Test
    void expiretimeOfTheLatestExpiryDoesNotOverflow() {
        check("+OK\\r\\n", "SET", "k", "v", "PXAT", "9223372036854775807");
        check(":9223372036854776\\r\\n", "EXPIRETIME", "k");
        check(":9223372036854775807\\r\\n", "PEXPIRETIME", "k");
    }

    @Test
    void expiryFollowsTheClockAndTheConditions() {
        check("+OK\\r\\n", "SET", "k", "v");
        check(":0\\r\\n", "EXPIRE", "k", "100", "XX");
        check(":0\\r\\n", "EXPIRE", "k", "100", "GT");
        check(":1\\r\\n", "EXPIRE", "k", "100", "LT");
        check(":0\\r\\n", "EXPIRE", "k", "200", "NX");
        check(":1\\r\\n", "EXPIRE", "k", "200", "GT");
        check(":0\\r\\n", "EXPIRE", "k", "50", "XX", "GT");
        check(":1\\r\\n", "EXPIRE", "k", "50", "XX", "LT");
        check("-ERR NX and XX, GT or LT options at the same time are not compatible\\r\\n", "EXPIRE", "k", "5", "NX", "LT");
        check("-ERR GT and LT options at the same time are not compatible\\r\\n", "EXPIRE", "k", "5", "GT", "LT");
        check("-ERR Unsupported option FOO\\r\\n", "EXPIRE", "k", "5", "FOO");
        check(":50\\r\\n", "TTL", "k");
        check(":" + (MutableClock.START_MILLIS / 1000 + 50) + "\\r\\n", "EXPIRETIME", "k");
        check(":" + (MutableClock.START_MILLIS + 50_000) + "\\r\\n", "PEXPIRETIME", "k");
        clock.advance(49_400);
        check(":1\\r\\n", "TTL", "k"); // 600 ms left rounds to 1 s
        clock.advance(600);
        check("$-1\\r\\n", "GET", "k");
        check(":-2\\r\\n", "TTL", "k");
        check(":0\\r\\n", "EXPIRE", "k", "10");
        check("+OK\\r\\n", "SET", "k", "v");
        check(":1\\r\\n", "EXPIRE", "k", "-1");
        check(":0\\r\\n", "EXISTS", "k");
        check("+OK\\r\\n", "SET", "k", "v", "EX", "10");
        check(":1\\r\\n", "PERSIST", "k");
        check(":0\\r\\n", "PERSIST", "k");
        check(":-1\\r\\n", "TTL", "k");
        check("$1\\r\\nv\\r\\n", "GETEX", "k", "PX", "5000");
        check(":5000\\r\\n", "PTTL", "k");
        check("$1\\r\\nv\\r\\n", "GETEX", "k", "PERSIST");
        check(":-1\\r\\n", "PTTL", "k");
        check("-ERR syntax error\\r\\n", "GETEX", "k", "PERSIST", "EX", "5");
    }

    @Test
    void numbersFollowRedissRules() {
        check(":1\\r\\n", "INCR", "n");
        check(":-9\\r\\n", "DECRBY", "n", "10");
        check("+OK\\r\\n", "SET", "n", "9223372036854775807");
        check("-ERR increment or decrement would overflow\\r\\n", "INCR", "n");
        check("-ERR decrement would overflow\\r\\n", "DECRBY", "n", "-9223372036854775808");
        for (String bad : new String[] {" 1", "1 ", "+1", "01", "1.0", "", "-0", "99999999999999999999"}) {
            check("+OK\\r\\n", "SET", "s", bad);
            check("-ERR value is not an integer or out of range\\r\\n", "INCR", "s");
        }
        check("-ERR value is not an integer or out of range\\r\\n", "INCRBY", "x", "1.5");
        check("$4\\r\\n10.5\\r\\n", "INCRBYFLOAT", "f", "10.50");
        check("$4\\r\\n10.6\\r\\n", "INCRBYFLOAT", "f", "0.1");
        check("$3\\r\\n5.6\\r\\n", "INCRBYFLOAT", "f", "-5");
        check("+OK\\r\\n", "SET", "e", "5.0e3");
        check("$4\\r\\n5200\\r\\n", "INCRBYFLOAT", "e", "2.0e2");
        check("$3\\r\\n1.1\\r\\n", "INCRBYFLOAT", "g", "1.1");
        check("$3\\r\\n3.3\\r\\n", "INCRBYFLOAT", "g", "2.2");
        check("$21\\r\\n100000000000000000000\\r\\n", "INCRBYFLOAT", "big", "1e20");
        check("$1\\r\\n0\\r\\n", "INCRBYFLOAT", "tiny", "1e-20");
        check("-ERR value is not a valid float\\r\\n", "INCRBYFLOAT", "f", "abc");
        check("-ERR increment would produce NaN or Infinity\\r\\n", "INCRBYFLOAT", "f", "inf");
        check("+OK\\r\\n", "SET", "w", "word");
        check("-ERR value is not a valid float\\r\\n", "INCRBYFLOAT", "w", "1");
    }

    /** Redis adds in x87 80-bit precision and prints {@code %.17Lf}: these are redis-server 7.0's answers. */
    @Test
    void incrbyfloatHasRedissLongDoubleDigits() {
        check("+OK\\r\\n", "SET", "h", "1000");
        check("$22\\r\\n1000.09999999999999998\\r\\n", "INCRBYFLOAT", "h", ".1");
        check("+OK\\r\\n", "SET", "x", "0x10");
        check("$2\\r\\n16\\r\\n", "INCRBYFLOAT", "x", "0");
        check("+OK\\r\\n", "SET", "m", "9223372036854775807");
        check("$19\\r\\n9223372036854775808\\r\\n", "INCRBYFLOAT", "m", "1.5");
        String big = run("INCRBYFLOAT", "b", "1e308");
        assertEquals("$308\\r\\n99999999999999999996685879655845645660560", big.substring(0, 49));
        check("-ERR value is not a valid float\\r\\n", "INCRBYFLOAT", "o", "1e5000");
        check("-ERR value is not a valid float\\r\\n", "INCRBYFLOAT", "o", " 1");
        check("-ERR value is not a valid float\\r\\n", "INCRBYFLOAT", "o", "nan");
    }

    @Test
    void rangesAppendAndLengthsAreRedis() {
        check("+OK\\r\\n", "SET", "s", "Hello World");
        check("$4\\r\\nHell\\r\\n", "GETRANGE", "s", "0", "3");
        check("$4\\r\\norld\\r\\n", "GETRANGE", "s", "-4", "-1");
        check("$0\\r\\n\\r\\n", "GETRANGE", "s", "5", "3");
        check("$6\\r\\n World\\r\\n", "GETRANGE", "s", "5", "5000");
        check("$11\\r\\nHello World\\r\\n", "GETRANGE", "s", "-5000", "10000");
        check("$0\\r\\n\\r\\n", "GETRANGE", "missing", "0", "-1");
        check(":4\\r\\n", "SETRANGE", "z", "1", "foo");
        check("$4\\r\\n\\u0000foo\\r\\n".replace("\\u0000", "\u0000"), "GET", "z");
        check(":0\\r\\n", "SETRANGE", "none", "5", "");
        check(":0\\r\\n", "EXISTS", "none");
        check("-ERR offset is out of range\\r\\n", "SETRANGE", "z", "-1", "x");
        check(":5\\r\\n", "APPEND", "a", "Hello");
        check(":11\\r\\n", "APPEND", "a", " World");
        check(":11\\r\\n", "STRLEN", "a");
        check(":0\\r\\n", "STRLEN", "missing");
        check("+string\\r\\n", "TYPE", "a");
        check("+none\\r\\n", "TYPE", "missing");
    }

    @Test
    void keysRenameAndMultiKeyCommands() {
        check("+OK\\r\\n", "MSET", "a", "1", "b", "2");
        check("*3\\r\\n$1\\r\\n1\\r\\n$-1\\r\\n$1\\r\\n2\\r\\n", "MGET", "a", "x", "b");
        check(":3\\r\\n", "EXISTS", "a", "a", "b");
        check(":0\\r\\n", "MSETNX", "a", "9", "c", "3");
        check(":1\\r\\n", "MSETNX", "c", "3", "d", "4");
        check(":1\\r\\n", "DEL", "a", "a");
        check("-ERR no such key\\r\\n", "RENAME", "a", "z");
        check("-ERR no such key\\r\\n", "RENAME", "a", "a");
        check("+OK\\r\\n", "RENAME", "b", "b");
        check(":0\\r\\n", "RENAMENX", "b", "b");
        check(":0\\r\\n", "RENAMENX", "b", "c");
        check("+OK\\r\\n", "RENAME", "b", "c");
        check("$1\\r\\n2\\r\\n", "GET", "c");
        check(":0\\r\\n", "EXISTS", "b");
        check("*1\\r\\n$1\\r\\nd\\r\\n", "KEYS", "[d-e]");
        check(":2\\r\\n", "DBSIZE");
        // The cursor is read with strtoul, as Redis reads it (found side by side with redis-server).
        check("*2\\r\\n$1\\r\\n0\\r\\n*0\\r\\n", "SCAN", "-1");
        check("-ERR invalid cursor\\r\\n", "SCAN", " 1");
        check("-ERR invalid cursor\\r\\n", "SCAN", "-");
        check("-ERR invalid cursor\\r\\n", "SCAN", "18446744073709551616");
        check("*2\\r\\n$1\\r\\n0\\r\\n*0\\r\\n", "SCAN", "18446744073709551615");
        check("-ERR syntax error\\r\\n", "SCAN", "0", "COUNT", "0");
        check("*2\\r\\n$1\\r\\n0\\r\\n*0\\r\\n", "SCAN", "0", "TYPE", "list");
        check("+OK\\r\\n", "FLUSHALL", "ASYNC");
        check(":0\\r\\n", "DBSIZE");
        check("$-1\\r\\n", "RANDOMKEY");
        check("-ERR syntax error\\r\\n", "FLUSHDB", "LATER");
    }

    @Test
    void transactionsQueueAndAbortAsInRedis() {
        check("+OK\\r\\n", "MULTI");
        check("+QUEUED\\r\\n", "SET", "k", "1");
        check("+QUEUED\\r\\n", "INCR", "k");
        check("+QUEUED\\r\\n", "SET", "k", "v", "BADOPTION");
        check("-ERR MULTI calls can not be nested\\r\\n", "MULTI");
        check("*3\\r\\n+OK\\r\\n:2\\r\\n-ERR syntax error\\r\\n", "EXEC");
        check("-ERR EXEC without MULTI\\r\\n", "EXEC");
        check("-ERR DISCARD without MULTI\\r\\n", "DISCARD");
        check("+OK\\r\\n", "MULTI");
        check("+QUEUED\\r\\n", "SET", "k", "lost");
        check("-ERR wrong number of arguments for 'get' command\\r\\n", "GET");
        check("-EXECABORT Transaction discarded because of previous errors.\\r\\n", "EXEC");
        check("$1\\r\\n2\\r\\n", "GET", "k");
        check("+OK\\r\\n", "MULTI");
        check("*0\\r\\n", "EXEC");
        check("-EXECABORT Transaction discarded because of: wrong number of arguments for 'exec' command\\r\\n",
                "EXEC", "now");
        check("+OK\\r\\n", "MULTI");
        check("+QUEUED\\r\\n", "SET", "k", "never");
        check("-EXECABORT Transaction discarded because of: wrong number of arguments for 'exec' command\\r\\n",
                "EXEC", "now");
        check("-ERR EXEC without MULTI\\r\\n", "EXEC");
        check("$1\\r\\n2\\r\\n", "GET", "k");
    }

    @Test
    void watchAbortsExecWhenAWatchedKeyIsWrittenOrExpires() {
        Session other = server.open("127.0.0.1:5001", "127.0.0.1:4000");
        check("+OK\\r\\n", "SET", "k", "1");
        check("+OK\\r\\n", "WATCH", "k", "never-written");
        assertEquals(Reply.integer(2), runFor(other, "INCR", "k"));
        check("+OK\\r\\n", "MULTI");
        check("-ERR WATCH inside MULTI is not allowed\\r\\n", "WATCH", "k");
        check("+QUEUED\\r\\n", "SET", "k", "mine");
        check("*-1\\r\\n", "EXEC");
        check("$1\\r\\n2\\r\\n", "GET", "k");
        // The watch ended with that EXEC: the next one runs.
        check("+OK\\r\\n", "MULTI");
        check("+QUEUED\\r\\n", "SET", "k", "mine");
        check("*1\\r\\n+OK\\r\\n", "EXEC");

        // A write of this connection's own counts, and an empty block aborts too.
        check("+OK\\r\\n", "WATCH", "k");
        check(":1\\r\\n", "DEL", "k");
        check("+OK\\r\\n", "MULTI");
        check("*-1\\r\\n", "EXEC");
        // Writes that change nothing do not count, as in Redis.
        check("+OK\\r\\n", "SET", "present", "p");
        check("+OK\\r\\n", "WATCH", "k", "present");
        check(":0\\r\\n", "DEL", "k");
        check("$-1\\r\\n", "SET", "present", "q", "NX");
        check(":0\\r\\n", "EXPIRE", "k", "100");
        check("+OK\\r\\n", "MULTI");
        check("*0\\r\\n", "EXEC");

        // A key that had an expiry and has expired by EXEC aborts it (Redis 6.0.9 and later).
        check("+OK\\r\\n", "SET", "brief", "1", "PX", "100");
        check("+OK\\r\\n", "WATCH", "brief");
        clock.advance(200);
        check("+OK\\r\\n", "MULTI");
        check("+QUEUED\\r\\n", "SET", "brief", "2");
        check("*-1\\r\\n", "EXEC");
        check("$-1\\r\\n", "GET", "brief");

        // DISCARD, UNWATCH and RESET forget the watched keys.
        assertWatchEndedBy(other, List.of("MULTI", "+OK"), List.of("DISCARD", "+OK"));
        assertWatchEndedBy(other, List.of("UNWATCH", "+OK"));
        assertWatchEndedBy(other, List.of("RESET", "+RESET"));

        // RESP3 answers an aborted EXEC with a null.
        run("HELLO", "3");
        check("+OK\\r\\n", "WATCH", "k");
        runFor(other, "SET", "k", "more");
        check("+OK\\r\\n", "MULTI");
        check("_\\r\\n", "EXEC");
        check("-ERR wrong number of arguments for 'watch' command\\r\\n", "WATCH");
        check("-ERR wrong number of arguments for 'unwatch' command\\r\\n", "UNWATCH", "k");
    }

    /** Runs the request {@code args} for {@code other}, a second connection: the reply. */
    private Reply runFor(Session other, String... args) {
        return server.runner().execute(other, CommandTable.parse(Arguments.of(args)));
    }

    /**
     * WATCH k, then each of {@code requests} (a request and the status it answers), then a write of
     * k by {@code other}: the EXEC after it still runs, so the requests ended the watch.
     */
    @SafeVarargs
    private void assertWatchEndedBy(Session other, List<String>... requests) {
        check("+OK\\r\\n", "WATCH", "k");
        for (List<String> request : requests) {
            check(request.get(1) + "\\r\\n", request.get(0));
        }
        runFor(other, "SET", "k", "theirs " + requests[0].get(0));
        check("+OK\\r\\n", "MULTI");
        check("*0\\r\\n", "EXEC");
    }

    @Test
    void stringsPastTheValueLimitAnswerRedissError() {
        check("-ERR string exceeds maximum allowed size (proto-max-bulk-len)\\r\\n", "SETRANGE", "k", "536870911", "ab");
        // Found side by side with redis-server: the offset plus the length overflowed a long.
        check("-ERR string exceeds maximum allowed size (proto-max-bulk-len)\\r\\n", "SETRANGE", "k", "9223372036854775807", "ab");
    }

    /** Found side by side with redis-server: KEYS, SCAN and DBSIZE in EXEC missed the block's own writes. */
    @Test
    void commandsOfATransactionSeeTheKeysWrittenBeforeThemInIt() {
        check("+OK\\r\\n", "SET", "old", "1");
        check("+OK\\r\\n", "SET", "gone", "1");
        check("+OK\\r\\n", "MULTI");
        check("+QUEUED\\r\\n", "SET", "new", "1");
        check("+QUEUED\\r\\n", "DEL", "gone");
        check("+QUEUED\\r\\n", "KEYS", "new");
        check("+QUEUED\\r\\n", "KEYS", "gone");
        check("+QUEUED\\r\\n", "SCAN", "0", "MATCH", "new");
        check("+QUEUED\\r\\n", "DBSIZE");
        check("+QUEUED\\r\\n", "SET", "brief", "1", "PX", "10");
        check("+QUEUED\\r\\n", "DBSIZE");
        check("+QUEUED\\r\\n", "RANDOMKEY");
        check("+QUEUED\\r\\n", "DEL", "old", "brief");
        check("+QUEUED\\r\\n", "RANDOMKEY");
        String replies = run("EXEC");
        String expectedStart = "*11\\r\\n+OK\\r\\n:1\\r\\n*1\\r\\n$3\\r\\nnew\\r\\n*0\\r\\n*2\\r\\n$1\\r\\n0\\r\\n*1\\r\\n$3\\r\\nnew\\r\\n"
                + ":2\\r\\n+OK\\r\\n:3\\r\\n";
        assertEquals(expectedStart, replies.substring(0, Math.min(replies.length(), expectedStart.length())), replies);
        // One of the three keys, then two removed, and the one left.
        assertTrue(replies.endsWith(":2\\r\\n$3\\r\\nnew\\r\\n"), replies);
        check(":1\\r\\n", "DBSIZE");
    }

    @Test
    void helloSwitchesToResp3AndNullsAndMapsChange() {
        check("*14\\r\\n$6\\r\\nserver\\r\\n$3\\r\\nkvs\\r\\n$7\\r\\nversion\\r\\n$5\\r\\n7.4.0\\r\\n$5\\r\\nproto\\r\\n:2\\r\\n"
                + "$2\\r\\nid\\r\\n:1\\r\\n$4\\r\\nmode\\r\\n$10\\r\\nstandalone\\r\\n$4\\r\\nrole\\r\\n$6\\r\\nmaster\\r\\n"
                + "$7\\r\\nmodules\\r\\n*0\\r\\n", "HELLO");
        check("-NOPROTO unsupported protocol version\\r\\n", "HELLO", "4");
        check("-ERR Protocol version is not an integer or out of range\\r\\n", "HELLO", "three");
        check("-ERR Syntax error in HELLO option 'FOO'\\r\\n", "HELLO", "3", "FOO");
        check("%7\\r\\n$6\\r\\nserver\\r\\n$3\\r\\nkvs\\r\\n$7\\r\\nversion\\r\\n$5\\r\\n7.4.0\\r\\n$5\\r\\nproto\\r\\n:3\\r\\n"
                + "$2\\r\\nid\\r\\n:1\\r\\n$4\\r\\nmode\\r\\n$10\\r\\nstandalone\\r\\n$4\\r\\nrole\\r\\n$6\\r\\nmaster\\r\\n"
                + "$7\\r\\nmodules\\r\\n*0\\r\\n", "HELLO", "3", "SETNAME", "me");
        check("_\\r\\n", "GET", "missing");
        check("$2\\r\\nme\\r\\n", "CLIENT", "GETNAME");
        check("%1\\r\\n$4\\r\\nsave\\r\\n$0\\r\\n\\r\\n", "CONFIG", "GET", "save");
        check("%2\\r\\n$9\\r\\ndatabases\\r\\n$1\\r\\n1\\r\\n$10\\r\\nappendonly\\r\\n$3\\r\\nyes\\r\\n", "CONFIG", "GET", "[ad]*");
        // COMMAND INFO's flags and categories are sets in RESP3, as Redis sends them.
        String info = run("COMMAND", "INFO", "get");
        assertTrue(info.startsWith("*1\\r\\n*10\\r\\n$3\\r\\nget\\r\\n:2\\r\\n~2\\r\\n+readonly\\r\\n+fast\\r\\n"), info);
        check("+RESET\\r\\n", "RESET");
        assertTrue(run("COMMAND", "INFO", "get").startsWith("*1\\r\\n*10\\r\\n$3\\r\\nget\\r\\n:2\\r\\n*2\\r\\n"));
        check("$-1\\r\\n", "GET", "missing");
        check("$-1\\r\\n", "CLIENT", "GETNAME");
        check("-ERR Client names cannot contain spaces, newlines or special characters.\\r\\n", "CLIENT", "SETNAME", "a b");
    }

    @Test
    void authenticationGatesEveryCommandButAuthHelloQuitAndReset() {
        server = new ServerContext(engine, "kvs", "test", 4000, Credentials.of("pw".getBytes(StandardCharsets.UTF_8)));
        session = server.open("127.0.0.1:5001", "127.0.0.1:4000");
        check("-NOAUTH Authentication required.\\r\\n", "GET", "k");
        check("-NOAUTH Authentication required.\\r\\n", "PING");
        check("-ERR wrong number of arguments for 'get' command\\r\\n", "GET"); // parse errors come first, as in Redis
        check("-WRONGPASS invalid username-password pair or user is disabled.\\r\\n", "AUTH", "nope");
        check("-WRONGPASS invalid username-password pair or user is disabled.\\r\\n", "AUTH", "admin", "pw");
        check("-NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO <proto> AUTH "
                + "<user> <pass> option can be used to authenticate the client and select the RESP protocol version at "
                + "the same time\\r\\n", "HELLO", "3");
        check("+OK\\r\\n", "AUTH", "default", "pw");
        check("+PONG\\r\\n", "PING");
        check("+RESET\\r\\n", "RESET");
        check("-NOAUTH Authentication required.\\r\\n", "PING");
        assertEquals(true, run("HELLO", "3", "AUTH", "default", "pw").startsWith("%7"));
        check("+PONG\\r\\n", "PING");
    }

    @Test
    void authWithoutAPasswordConfiguredIsRedissError() {
        check("-ERR AUTH <password> called without any password configured for the default user. Are you sure your "
                + "configuration is correct?\\r\\n", "AUTH", "pw");
        check("+OK\\r\\n", "AUTH", "default", "anything");
    }
}
