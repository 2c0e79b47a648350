package io.kvs.core.log;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Reads and writes the fixed-width integers of the on-disk format. Every multi-byte field in a
 * kvs file is little-endian, whatever the platform's order.
 */
final class LittleEndian {
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private LittleEndian() {
    }

    static int getUnsignedShort(byte[] buffer, int offset) {
        return Short.toUnsignedInt((short) SHORT.get(buffer, offset));
    }

    static void putShort(byte[] buffer, int offset, int value) {
        SHORT.set(buffer, offset, (short) value);
    }

    static int getInt(byte[] buffer, int offset) {
        return (int) INT.get(buffer, offset);
    }

    static void putInt(byte[] buffer, int offset, int value) {
        INT.set(buffer, offset, value);
    }

    static long getLong(byte[] buffer, int offset) {
        return (long) LONG.get(buffer, offset);
    }

    static void putLong(byte[] buffer, int offset, long value) {
        LONG.set(buffer, offset, value);
    }
}
