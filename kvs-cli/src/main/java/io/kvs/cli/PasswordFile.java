package io.kvs.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A password kept in a file ({@code --password-file} of both programs): the file's text, UTF-8,
 * without one trailing line break. The password never appears in a message.
 */
final class PasswordFile {

    private PasswordFile() {
    }

    /**
     * The password in {@code file}.
     *
     * @throws CliFailure if the file cannot be read, is empty, or is not UTF-8
     */
    static String read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new CliFailure("cannot read the password file " + file + ": " + e.getMessage(), CliFailure.FAILURE);
        }
        int length = bytes.length;
        if (length > 0 && bytes[length - 1] == '\n') {
            length--;
            if (length > 0 && bytes[length - 1] == '\r') {
                length--;
            }
        }
        if (length == 0) {
            throw new CliFailure("the password file " + file + " is empty", CliFailure.FAILURE);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes, 0, length)).toString();
        } catch (CharacterCodingException e) {
            throw new CliFailure("the password file " + file + " is not UTF-8 text", CliFailure.FAILURE);
        }
    }
}
