package io.kvs.cli;

import io.kvs.core.KvsLimits;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The value of {@code kvs-client set KEY --value-file PATH}: the bytes of a file, or of standard
 * input for {@value #STDIN}, taken exactly (no newline trimmed). Keys and values are strings of
 * Unicode, so the bytes must be well-formed UTF-8, and at most {@link KvsLimits#MAX_VALUE_BYTES};
 * otherwise the value is refused with a sentence naming the file (and, for bad UTF-8, the offset
 * of the first bad byte). At most one byte more than the limit is ever read.
 */
final class ValueFile {

    /** The path that means standard input. */
    static final String STDIN = "-";

    private ValueFile() {
    }

    /**
     * Reads and decodes the value at {@code path} ({@value #STDIN}: {@code stdin}).
     *
     * @throws CliFailure if the file cannot be read, is too large or is not UTF-8
     */
    static String read(String path, InputStream stdin) {
        String name = path.equals(STDIN) ? "standard input" : "value file '" + path + "'";
        byte[] bytes;
        try {
            if (path.equals(STDIN)) {
                bytes = stdin.readNBytes(KvsLimits.MAX_VALUE_BYTES + 1);
            } else {
                // A stream, not the file's size: a named pipe or /dev/stdin has none.
                try (InputStream in = Files.newInputStream(Path.of(path))) {
                    bytes = in.readNBytes(KvsLimits.MAX_VALUE_BYTES + 1);
                }
            }
        } catch (NoSuchFileException e) {
            throw failure("cannot read " + name + ": no such file");
        } catch (AccessDeniedException e) {
            throw failure("cannot read " + name + ": permission denied");
        } catch (IOException | InvalidPathException e) {
            throw failure("cannot read " + name + ": " + e.getMessage());
        }
        if (bytes.length > KvsLimits.MAX_VALUE_BYTES) {
            throw failure(name + " holds more than " + KvsLimits.MAX_VALUE_BYTES + " bytes, the largest value");
        }
        return decode(bytes, name);
    }

    private static String decode(byte[] bytes, String name) {
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        // UTF-8 never decodes to more chars than it has bytes.
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = utf8.decode(in, out, true);
        if (!result.isError()) {
            result = utf8.flush(out);
        }
        if (result.isError()) {
            int offset = in.position();
            throw failure(name + " is not valid UTF-8: byte " + String.format("0x%02x", bytes[offset] & 0xFF)
                    + " at offset " + offset + " does not belong there (kvs values are UTF-8 text)");
        }
        return out.flip().toString();
    }

    private static CliFailure failure(String message) {
        return new CliFailure(message, CliFailure.FAILURE);
    }
}
