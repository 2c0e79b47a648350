package io.kvs.raft;

import io.kvs.net.command.Arguments;
import io.kvs.net.command.CommandTable;
import io.kvs.net.command.DataCommand;
import io.kvs.net.command.Proposal;
import io.kvs.net.command.Reply;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Log entries and replies survive their encodings exactly; damaged bytes are refused, never guessed. */
class BatchTest {

    private static DataCommand command(String... request) {
        return (DataCommand) CommandTable.parse(Arguments.of(request));
    }

    private static Batch sample() {
        return new Batch(1_900_000_000_123L, List.of(
                Proposal.of(command("SET", "k", "v", "EX", "10")),
                new Proposal(List.of(command("INCR", "n"), command("GET", "n")), true),
                Proposal.of(command("MSET", "a", "1", "b", "2"))));
    }

    @Test
    void aBatchDecodesToTheSameCommandsAndTime() {
        Batch batch = sample();
        Batch decoded = Batch.decode(batch.encode());
        assertEquals(batch.timeMillis(), decoded.timeMillis());
        assertEquals(3, decoded.proposals().size());
        assertArrayEquals(batch.encode(), decoded.encode());
        assertTrue(decoded.proposals().get(1).atomic());
        assertTrue(decoded.writes());
    }

    @Test
    void theLeaderStampsItsTimeIntoTheEncodedBatch() {
        byte[] stamped = Batch.withTime(new Batch(0, sample().proposals()).encode(), 1_234_567_890_123L);
        assertEquals(1_234_567_890_123L, Batch.decode(stamped).timeMillis());
        assertEquals(0, Batch.decode(Batch.tick().encode()).proposals().size());
    }

    @Test
    void damagedBatchesAreRefused() {
        byte[] bytes = sample().encode();
        for (int cut = 0; cut < bytes.length; cut++) {
            byte[] truncated = Arrays.copyOf(bytes, cut);
            assertThrows(MalformedMessageException.class, () -> Batch.decode(truncated), "cut at " + cut);
        }
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
        assertThrows(MalformedMessageException.class, () -> Batch.decode(longer));
        byte[] version = bytes.clone();
        version[0] = 9;
        assertThrows(MalformedMessageException.class, () -> Batch.decode(version));
        byte[] hugeCount = bytes.clone();
        hugeCount[9] = 0x7F;
        assertThrows(MalformedMessageException.class, () -> Batch.decode(hugeCount));
    }

    @Test
    void repliesOfEveryKindDecodeToTheSameReplies() {
        List<Reply> replies = List.of(Reply.OK, new Reply.Error(Reply.Failure.LIMIT, "ERR", "too big"), Reply.integer(-7),
                new Reply.Bulk("héllo".getBytes(StandardCharsets.UTF_8)), Reply.NULL, Reply.NULL_ARRAY,
                new Reply.Array(List.of(Reply.ONE, new Reply.Array(List.of(Reply.NULL)))),
                new Reply.MapReply(List.of(new Reply.Bulk(new byte[]{1}), Reply.ZERO)), new Reply.Verbatim("text\r\n"),
                new Reply.SetReply(List.of(new Reply.Status("fast"))));
        List<Reply> decoded = Replies.decode(Replies.encode(replies));
        assertEquals(replies.size(), decoded.size());
        assertArrayEquals(Replies.encode(replies), Replies.encode(decoded));
        assertEquals("héllo", new String(((Reply.Bulk) decoded.get(3)).bytes(), StandardCharsets.UTF_8));
        assertEquals(replies.get(1), decoded.get(1));
        byte[] bytes = Replies.encode(replies);
        for (int cut = 0; cut < bytes.length; cut++) {
            byte[] truncated = Arrays.copyOf(bytes, cut);
            assertThrows(MalformedMessageException.class, () -> Replies.decode(truncated), "cut at " + cut);
        }
    }
}
