package io.kvs.cli;

import io.kvs.core.KvsLimits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** --value-file: exact bytes of UTF-8, up to the value limit, from a file or standard input. */
class ValueFileTest {

    @TempDir
    Path dir;

    private static final InputStream NO_INPUT = InputStream.nullInputStream();

    @Test
    void fileIsReadByteForByte() throws Exception {
        String value = "  line one\n\ttwo \r\n\n\uFFFD and U+FFFD itself is fine in a file\n";
        Path file = dir.resolve("value.txt");
        Files.writeString(file, value, StandardCharsets.UTF_8);
        assertEquals(value, ValueFile.read(file.toString(), NO_INPUT));
        Files.write(file, new byte[0]);
        assertEquals("", ValueFile.read(file.toString(), NO_INPUT));
    }

    @Test
    void dashReadsStandardInput() {
        InputStream stdin = new ByteArrayInputStream("from stdin\n".getBytes(StandardCharsets.UTF_8));
        assertEquals("from stdin\n", ValueFile.read(ValueFile.STDIN, stdin));
    }

    /** Regression: values over ~128 KiB could not be set from a command line at all. */
    @Test
    void theLargestValueFitsAndOneByteMoreIsRefused() throws Exception {
        Path file = dir.resolve("big");
        byte[] bytes = new byte[KvsLimits.MAX_VALUE_BYTES];
        java.util.Arrays.fill(bytes, (byte) 'x');
        Files.write(file, bytes);
        assertEquals(KvsLimits.MAX_VALUE_BYTES, ValueFile.read(file.toString(), NO_INPUT).length());
        Files.write(file, new byte[]{'y'}, java.nio.file.StandardOpenOption.APPEND);
        CliFailure e = assertThrows(CliFailure.class, () -> ValueFile.read(file.toString(), NO_INPUT));
        assertEquals("value file '" + file + "' holds more than 16777216 bytes, the largest value", e.getMessage());
    }

    @Test
    void invalidUtf8IsRefusedNamingTheFileAndTheOffset() throws Exception {
        Path file = dir.resolve("binary");
        Files.write(file, new byte[]{'a', 'b', (byte) 0xff, (byte) 0xfe});
        CliFailure e = assertThrows(CliFailure.class, () -> ValueFile.read(file.toString(), NO_INPUT));
        assertEquals(CliFailure.FAILURE, e.exitCode());
        assertEquals("value file '" + file + "' is not valid UTF-8: byte 0xff at offset 2 does not belong there"
                + " (kvs values are UTF-8 text)", e.getMessage());
        // A sequence cut short at the end, and an encoded surrogate.
        Files.write(file, new byte[]{'a', (byte) 0xe2, (byte) 0x82});
        assertEquals("value file '" + file + "' is not valid UTF-8: byte 0xe2 at offset 1 does not belong there"
                + " (kvs values are UTF-8 text)", assertThrows(CliFailure.class, () -> ValueFile.read(file.toString(), NO_INPUT)).getMessage());
        Files.write(file, new byte[]{(byte) 0xed, (byte) 0xa0, (byte) 0x80});
        assertThrows(CliFailure.class, () -> ValueFile.read(file.toString(), NO_INPUT));
        InputStream stdin = new ByteArrayInputStream(new byte[]{(byte) 0xc3});
        assertEquals("standard input is not valid UTF-8: byte 0xc3 at offset 0 does not belong there (kvs values are UTF-8 text)",
                assertThrows(CliFailure.class, () -> ValueFile.read(ValueFile.STDIN, stdin)).getMessage());
    }

    @Test
    void missingFileIsOneSentence() {
        Path missing = dir.resolve("missing");
        CliFailure e = assertThrows(CliFailure.class, () -> ValueFile.read(missing.toString(), NO_INPUT));
        assertEquals("cannot read value file '" + missing + "': no such file", e.getMessage());
    }
}
