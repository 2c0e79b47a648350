package io.kvs.cli;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Numeric options are parsed with their ranges, and refused in the user's own words. */
class NumericOptionsTest {

    private static final Duration MIN = Duration.ofMillis(1);
    private static final Duration MAX = Duration.ofDays(365);

    /** Regression: "--timeout 0.5" said "couldn't convert "0.5" to a long". */
    @Test
    void secondsMayHaveAFraction() {
        assertEquals(Duration.ofMillis(500), NumericOptions.seconds("--timeout", "0.5", MIN, MAX));
        assertEquals(Duration.ofMillis(250), NumericOptions.seconds("--timeout", ".25", MIN, MAX));
        assertEquals(Duration.ofSeconds(30), NumericOptions.seconds("--timeout", "30", MIN, MAX));
        assertEquals(Duration.ofSeconds(30), NumericOptions.seconds("--timeout", "30.", MIN, MAX));
        assertEquals(MAX, NumericOptions.seconds("--timeout", "31536000", MIN, MAX));
        assertEquals(MIN, NumericOptions.seconds("--timeout", "0.001", MIN, MAX));
    }

    /** Regression: "--idle-timeout 0" said "got PT0S"; "--timeout 9223372036854775807" printed an ArithmeticException. */
    @Test
    void secondsOutOfRangeAreRefusedInTheUsersWords() {
        assertRefused("--idle-timeout must be a number of seconds from 0.001 to 31536000 (for example 30 or 0.5), got '0'",
                () -> NumericOptions.seconds("--idle-timeout", "0", MIN, MAX));
        assertRefused("--timeout must be a number of seconds from 0.001 to 31536000 (for example 30 or 0.5), got '9223372036854775807'",
                () -> NumericOptions.seconds("--timeout", "9223372036854775807", MIN, MAX));
        for (String bad : new String[]{"10000000000", "-1", "0.0009", "abc", "1e3", "", "1,5", "NaN"}) {
            assertThrows(CliFailure.class, () -> NumericOptions.seconds("--timeout", bad, MIN, MAX), bad);
        }
    }

    @Test
    void countsAreWholeNumbersInRange() {
        assertEquals(16384, NumericOptions.count("--max-connections", "16384", 1, 1 << 20));
        assertRefused("--max-connections must be a whole number from 1 to 1048576, got '0'",
                () -> NumericOptions.count("--max-connections", "0", 1, 1 << 20));
        for (String bad : new String[]{"99999999999", "-1", "1.5", "x", "2147483648"}) {
            assertThrows(CliFailure.class, () -> NumericOptions.count("--event-loops", bad, 1, 256), bad);
        }
    }

    @Test
    void bytesTakeABinarySuffix() {
        assertEquals(64L << 20, NumericOptions.bytes("--partial-frame-budget-bytes", "64m", 65536, 1L << 40));
        assertEquals(64L << 20, NumericOptions.bytes("--partial-frame-budget-bytes", "64MiB", 65536, 1L << 40));
        assertEquals(1L << 30, NumericOptions.bytes("--partial-frame-budget-bytes", "1G", 65536, 1L << 40));
        assertEquals(65536, NumericOptions.bytes("--partial-frame-budget-bytes", "64k", 65536, 1L << 40));
        assertEquals(100_000, NumericOptions.bytes("--max-frame-bytes", "100000", 64, 1 << 30));
        assertThrows(CliFailure.class, () -> NumericOptions.bytes("--max-frame-bytes", "2g", 64, 1 << 30));
        assertThrows(CliFailure.class, () -> NumericOptions.bytes("--max-frame-bytes", "1", 64, 1 << 30));
        assertThrows(CliFailure.class, () -> NumericOptions.bytes("--max-frame-bytes", "12t", 64, 1 << 30));
    }

    private static void assertRefused(String message, org.junit.jupiter.api.function.Executable parse) {
        CliFailure e = assertThrows(CliFailure.class, parse);
        assertEquals(CliFailure.USAGE, e.exitCode());
        assertEquals(message, e.getMessage());
    }
}
