package io.kvs.raft;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The primitive encodings of kvs-raft's messages (docs/FORMAT.md, "Replicated mode"): big-endian
 * ints and longs, byte strings as an int length and the bytes, text as UTF-8 byte strings.
 */
final class Wire {

    private Wire() {
    }

    /** Appends to a growing array. */
    static final class Writer {
        private byte[] bytes = new byte[256];
        private int size;

        private void ensure(int more) {
            if (bytes.length - size < more) {
                bytes = Arrays.copyOf(bytes, (int) Math.min(Integer.MAX_VALUE - 8, Math.max(2L * bytes.length, (long) size + more)));
            }
        }

        Writer writeByte(int value) {
            ensure(1);
            bytes[size++] = (byte) value;
            return this;
        }

        Writer writeInt(int value) {
            ensure(Integer.BYTES);
            INT.set(bytes, size, value);
            size += Integer.BYTES;
            return this;
        }

        Writer writeLong(long value) {
            ensure(Long.BYTES);
            LONG.set(bytes, size, value);
            size += Long.BYTES;
            return this;
        }

        Writer writeBytes(byte[] value) {
            return writeInt(value.length).writeRaw(value);
        }

        /** Appends {@code value} as it is, without a length. */
        Writer writeRaw(byte[] value) {
            ensure(value.length);
            System.arraycopy(value, 0, bytes, size, value.length);
            size += value.length;
            return this;
        }

        Writer writeText(String text) {
            return writeBytes(text.getBytes(StandardCharsets.UTF_8));
        }

        byte[] toByteArray() {
            return Arrays.copyOf(bytes, size);
        }
    }

    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

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
