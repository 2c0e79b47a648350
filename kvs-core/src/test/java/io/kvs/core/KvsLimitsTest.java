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
    void nullIsRefusedWithTheArgumentName() {
        NullPointerException e = assertThrows(NullPointerException.class, () -> KvsLimits.encodeKey(null));
        assertEquals("key must not be null", e.getMessage());
    }
}
