package io.kvs.raft;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The primitive encodings of kvs-raft's messages (docs/FORMAT.md, "Replicated mode"): big-endian
 * ints and longs, byte strings as an int length and the bytes, text as UTF-8 byte strings.
 */
final class Wire {

    private Wire() {
    }

    /** Appends to a growing buffer. */
    static final class Writer {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);

        Writer writeByte(int value) {
            out.write(value);
            return this;
        }

        Writer writeInt(int value) {
            out.write(value >>> 24);
            out.write(value >>> 16);
            out.write(value >>> 8);
            out.write(value);
            return this;
        }

        Writer writeLong(long value) {
            writeInt((int) (value >>> 32));
            return writeInt((int) value);
        }

        Writer writeBytes(byte[] bytes) {
            writeInt(bytes.length);
            out.write(bytes, 0, bytes.length);
            return this;
        }

        Writer writeText(String text) {
            return writeBytes(text.getBytes(StandardCharsets.UTF_8));
        }

        byte[] toByteArray() {
            return out.toByteArray();
        }
    }

    /** Reads what a {@link Writer} wrote; a malformed message is a {@link MalformedMessageException}. */
    static final class Reader {
        private final ByteBuffer in;

        Reader(byte[] bytes) {
            this.in = ByteBuffer.wrap(bytes);
        }

        int readByte() {
            need(1);
            return in.get() & 0xFF;
        }

        int readInt() {
            need(4);
            return in.getInt();
        }

        /** A count of items that follow, each at least {@code minBytes} long: checked against what is left. */
        int readCount(int minBytes) {
            int count = readInt();
            if (count < 0 || (long) count * minBytes > in.remaining()) {
                throw new MalformedMessageException("count " + count + " exceeds the message");
            }
            return count;
        }

        long readLong() {
            need(8);
            return in.getLong();
        }

        byte[] readBytes() {
            int length = readInt();
            if (length < 0) {
                throw new MalformedMessageException("negative length " + length);
            }
            need(length);
            byte[] bytes = new byte[length];
            in.get(bytes);
            return bytes;
        }

        String readText() {
            return new String(readBytes(), StandardCharsets.UTF_8);
        }

        /** Checks that the whole message was read. */
        void end() {
            if (in.hasRemaining()) {
                throw new MalformedMessageException(in.remaining() + " bytes after the end of the message");
            }
        }

        private void need(int bytes) {
            if (in.remaining() < bytes) {
                throw new MalformedMessageException("message ends " + (bytes - in.remaining()) + " bytes early");
            }
        }
    }
}
