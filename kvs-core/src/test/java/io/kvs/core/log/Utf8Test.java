package io.kvs.core.log;

import io.kvs.core.InvalidStringException;
import io.kvs.core.KvsEngineContract;
import io.kvs.core.KvsLimits;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The direct UTF-8 of short strings matches the JDK's, and refuses what {@link KvsLimits} refuses. */
class Utf8Test {

    @Property(tries = 2000)
    void directEncodingIsTheJdksUtf8OrTheSameRefusal(@ForAll @StringLength(max = 64) String s) {
        if (KvsEngineContract.validUnicode(s)) {
            byte[] expected = s.getBytes(StandardCharsets.UTF_8);
            assertEquals(expected.length, Utf8.length(s, "key"));
            byte[] actual = new byte[expected.length + 2];
            Utf8.encode(s, actual, 1);
            assertArrayEquals(expected, java.util.Arrays.copyOfRange(actual, 1, 1 + expected.length));
        } else {
            InvalidStringException direct = assertThrows(InvalidStringException.class, () -> Utf8.length(s, "key"));
            InvalidStringException limits = assertThrows(InvalidStringException.class, () -> KvsLimits.encodeKey(s));
            assertEquals(limits.getMessage(), direct.getMessage());
        }
    }

    @Property(tries = 2000)
    void aStringSetRecordIsTheRecordOfItsUtf8Bytes(@ForAll @StringLength(max = 64) String key,
                                                   @ForAll @StringLength(max = 64) String value) {
        if (KvsEngineContract.validUnicode(key) && KvsEngineContract.validUnicode(value)) {
            assertArrayEquals(RecordDescriptor.encodeSet(key.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8)),
                    RecordDescriptor.encodeSet(key, value));
        }
    }

    @Test
    void asciiIsDetectedExactly() {
        assertEquals(true, Utf8.isAscii(""));
        assertEquals(true, Utf8.isAscii("key4095\u007f"));
        assertEquals(false, Utf8.isAscii("key\u0080"));
        assertEquals(false, Utf8.isAscii("caf\u00e9"));
        assertEquals(false, Utf8.isAscii("\u0141")); // a UTF-16 string whose low byte is ASCII ('A')
        assertArrayEquals("key\u0141".getBytes(StandardCharsets.UTF_8),
                java.util.Arrays.copyOfRange(RecordDescriptor.encodeSet("key\u0141", "v"),
                        RecordDescriptor.HEADER_LENGTH, RecordDescriptor.HEADER_LENGTH + 5));
    }

    @Test
    void everyUtf8LengthAndASurrogatePairEncodeAsTheJdkDoes() {
        String s = "a\u00e9\u65e5\ud83d\ude42\u007f\u0080\u07ff\u0800\uffff";
        byte[] record = RecordDescriptor.encodeSet(s, s);
        assertArrayEquals(RecordDescriptor.encodeSet(s.getBytes(StandardCharsets.UTF_8), s.getBytes(StandardCharsets.UTF_8)), record);
        assertThrows(InvalidStringException.class, () -> RecordDescriptor.encodeSet("k", "\ud800x"));
        assertThrows(NullPointerException.class, () -> RecordDescriptor.encodeSet(null, "v"));
    }
}
