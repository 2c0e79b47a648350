package io.kvs.core;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A key's scan position is fixed by the format: Xodus stores it in its keys, and a cursor from
 * one run must mean the same in the next. These values were computed by the first release of
 * format 2; any change to {@link ScanOrder#position} that alters one of them breaks existing
 * directories.
 */
class ScanOrderTest {

    @Test
    void positionsOfEveryTailLengthAreThoseOfFormat2() {
        assertPosition("", 0xf490368aba8bfeacL);
        assertPosition("a", 0xcf0a6793735879a8L);
        assertPosition("ab", 0x2a4f224d3c5a0708L);
        assertPosition("abc", 0xab37fbe7a626501eL);
        assertPosition("abcd", 0x327756853dab1c76L);
        assertPosition("abcde", 0xfd198f0f7d5b8799L);
        assertPosition("abcdef", 0x087e63b7dda0e82fL);
        assertPosition("abcdefg", 0xa371ae875a6f96e8L);
        assertPosition("abcdefgh", 0x0efd3bc62a112984L);
        assertPosition("abcdefghi", 0x00e92beb8e102a7aL);
        assertPosition("key4095", 0xe5ba79d5ee64d7b7L);
        assertPosition("a key of twenty-three", 0x9116ab40ab738c50L);
    }

    @Test
    void bytesAboveSevenBitsCountUnsigned() {
        byte[] key = {(byte) 0xff, (byte) 0x80, 0, 1, (byte) 0xfe, (byte) 0x7f, (byte) 0x81};
        long[] expected = {0x89028fc698ee1596L, 0x5e3865c01dc85a92L, 0x2af733bc16adf7d0L, 0x539d1c372299469dL,
                0x260eda8e8834f1fcL, 0xcba08bf6e620366aL, 0xf96a08ae9e62b8f0L};
        for (int length = 1; length <= key.length; length++) {
            assertEquals(expected[length - 1], ScanOrder.position(key, 0, length), "first " + length + " bytes");
        }
    }

    @Test
    void aKeyInsideALargerArrayHasThePositionOfTheKeyAlone() {
        byte[] padded = "xxabcdefghixx".getBytes(StandardCharsets.US_ASCII);
        assertEquals(0x00e92beb8e102a7aL, ScanOrder.position(padded, 2, 9));
    }

    private static void assertPosition(String key, long expected) {
        assertEquals(expected, ScanOrder.position(key.getBytes(StandardCharsets.UTF_8)), key);
    }
}
