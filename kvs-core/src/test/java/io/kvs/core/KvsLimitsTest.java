package io.kvs.core;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KvsLimitsTest {

    @Test
    void encodesValidUnicodeAsUtf8() {
        String s = "aж键🔑";
        assertArrayEquals(s.getBytes(StandardCharsets.UTF_8), KvsLimits.encodeKey(s));
        assertEquals(1 + 2 + 3 + 4, KvsLimits.utf8Length(s));
    }

    @Test
    void rejectsUnpairedSurrogatesWithTheirIndex() {
        InvalidStringException high = assertThrows(InvalidStringException.class, () -> KvsLimits.encodeValue("ab\uD83D"));
        assertTrue(high.getMessage().contains("value") && high.getMessage().contains("index 2"), high.getMessage());
        assertThrows(InvalidStringException.class, () -> KvsLimits.encodeKey("\uDD11x"));
        assertThrows(InvalidStringException.class, () -> KvsLimits.encodeKey("\uD83D\uD83D\uDD11"));
    }

    @Test
    void refusesOversizedStringsBeforeEncodingThem() {
        String huge = "x".repeat(KvsLimits.MAX_VALUE_BYTES + 10);
        LimitExceededException e = assertThrows(LimitExceededException.class, () -> KvsLimits.encodeValue(huge));
        assertEquals(KvsLimits.MAX_VALUE_BYTES + 10, e.actual());
        assertTrue(e.getMessage().startsWith("value is too large"), e.getMessage());
    }

    @Test
    void utf8LengthCountsEachCodePointAtItsByteBoundaries() {
        String[] oneByte = {"\u0000", "\u007F"};
        String[] twoBytes = {"\u0080", "\u07FF"};
        String[] threeBytes = {"\u0800", "\uD7FF", "\uE000", "\uFFFF"};
        String[] fourBytes = {"\uD800\uDC00", "\uD83D\uDD11", "\uDBFF\uDFFF"};
        assertUtf8Length(1, oneByte);
        assertUtf8Length(2, twoBytes);
        assertUtf8Length(3, threeBytes);
        assertUtf8Length(4, fourBytes);
        assertEquals(1 + 2 + 3 + 4, KvsLimits.utf8Length("\u007F\u0080\u0800\uD800\uDC00"));
    }

    private static void assertUtf8Length(int bytes, String... codePoints) {
        for (String s : codePoints) {
            assertEquals(bytes, KvsLimits.utf8Length(s), "U+" + Integer.toHexString(s.codePointAt(0)));
            assertEquals(s.getBytes(StandardCharsets.UTF_8).length, KvsLimits.utf8Length(s));
        }
    }

    @Test
    void utf8LengthCountsAnUnpairedSurrogateAsOneByte() {
        assertEquals(1, KvsLimits.utf8Length("\uD83D"), "high surrogate alone");
        assertEquals(2, KvsLimits.utf8Length("a\uD83D"), "high surrogate at the end");
        assertEquals(2, KvsLimits.utf8Length("\uD83Dx"), "high surrogate before a non-surrogate");
        assertEquals(1, KvsLimits.utf8Length("\uDD11"), "low surrogate alone");
        assertEquals(2, KvsLimits.utf8Length("\uDD11\uD83D"), "low before high");
        assertEquals(1 + 4, KvsLimits.utf8Length("\uD83D\uD83D\uDD11"), "high, then a pair");
        assertEquals(0, KvsLimits.utf8Length(""));
    }

    @Test
    void oversizedStringIsReportedWithItsUtf8Length() {
        String huge = "\u0800".repeat(KvsLimits.MAX_KEY_BYTES + 1);
        LimitExceededException e = assertThrows(LimitExceededException.class, () -> KvsLimits.encodeKey(huge));
        assertEquals(3L * (KvsLimits.MAX_KEY_BYTES + 1), e.actual());
    }

    @Test
    void decodeReadsOnlyTheGivenRange() {
        byte[] bytes = "xxaж键yy".getBytes(StandardCharsets.UTF_8);
        assertEquals("aж键", KvsLimits.decode(bytes, 2, 1 + 2 + 3));
    }

    @Test
    void nullIsRefusedWithTheArgumentName() {
        NullPointerException e = assertThrows(NullPointerException.class, () -> KvsLimits.encodeKey(null));
        assertEquals("key must not be null", e.getMessage());
    }
}
