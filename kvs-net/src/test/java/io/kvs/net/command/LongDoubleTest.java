package io.kvs.net.command;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link LongDouble} against what redis-server 7.0 on x86-64 answers for INCRBYFLOAT of an empty key. */
class LongDoubleTest {

    private static LongDouble parse(String text) {
        return LongDouble.parse(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static String sum(String a, String b) {
        return parse(a).add(parse(b)).format();
    }

    @Test
    void roundsToSixtyFourSignificantBitsTiesToEven() {
        assertEquals("18446744073709551616", parse("18446744073709551617").format());
        assertEquals("18446744073709551620", parse("18446744073709551619").format());
        assertEquals("9223372036854775808", sum("9223372036854775807", "1.5"));
        assertEquals("1000.09999999999999998", sum("1000", ".1"));
        assertEquals("3.3", sum("1.1", "2.2"));
    }

    @Test
    void readsWhatStrtoldReadsAndRedisAccepts() {
        assertEquals("12", parse("0x1.8p3").format());
        assertEquals("16", parse("0X10").format());
        assertEquals("0.5", parse("+.5").format());
        assertEquals("5", parse("5.").format());
        assertEquals("0", parse("-0").format());
        assertEquals("0", parse("0e999999999999").format());
        assertTrue(parse("inf").isInfinite());
        assertTrue(parse("-Infinity").isInfinite());
        for (String refused : new String[] {"", " 1", "1 ", "nan", "1e", "0x", ".", "e5", "1e5000", "-1e5000", "1e-5000",
                "0x1p-16446", "infin", "1,5", "0x1p", "--1"}) {
            assertNull(parse(refused), refused);
        }
    }

    @Test
    void keepsSubnormalsAndPrintsSeventeenDecimals() {
        assertEquals("0", parse("1e-4950").format());
        assertEquals("0", parse("1e-20").format());
        assertEquals("0.00000000000000001", parse("1e-17").format());
        assertEquals(308, parse("1e308").add(LongDouble.ZERO).format().length());
    }

    @Test
    void infinitiesOfBothSignsAddToNothing() {
        assertNull(parse("inf").add(parse("-inf")));
        assertTrue(parse("inf").add(parse("1")).isInfinite());
        assertTrue(parse("1e4932").add(parse("1e4932")).isInfinite());
    }
}
