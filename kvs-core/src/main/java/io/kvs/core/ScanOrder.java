package io.kvs.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The order a {@link KvsEngine#scan} visits keys in, shared by every engine: ascending unsigned
 * 64-bit position, a hash of the key's bytes. A cursor is the position the next page starts at,
 * so it stays meaningful whatever happens to the store between pages (writes, compaction,
 * growth of the index, a restart): a key present from the start of a scan to its end is always
 * reached, and keys that share a position are returned in the same page.
 *
 * <p>The position mixes eight bytes at a time with the xxHash64 round and finishes with the
 * murmur3 avalanche; it is fixed by the format (a cursor from one run is valid in the next).
 */
public final class ScanOrder {

    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long PRIME_1 = 0x9E3779B185EBCA87L;
    private static final long PRIME_2 = 0xC2B2AE3D27D4EB4FL;
    private static final long PRIME_3 = 0x165667B19E3779F9L;

    private ScanOrder() {
    }

    /** The position of the whole key {@code key}. */
    public static long position(byte[] key) {
        return position(key, 0, key.length);
    }

    /** The position of the key in {@code key[offset, offset + length)}. */
    public static long position(byte[] key, int offset, int length) {
        long h = PRIME_3 + length * PRIME_1;
        int i = offset;
        int end = offset + length;
        for (; i + Long.BYTES <= end; i += Long.BYTES) {
            h = Long.rotateLeft(h ^ round((long) LONG.get(key, i)), 27) * PRIME_1 + PRIME_3;
        }
        if (i < end) {
            // The last one to seven bytes as one little-endian number, read four, two, one at a time.
            long tail = 0;
            int shift = 0;
            if (end - i >= Integer.BYTES) {
                tail = (int) INT.get(key, i) & 0xFFFF_FFFFL;
                i += Integer.BYTES;
                shift = Integer.SIZE;
            }
            if (end - i >= Short.BYTES) {
                tail |= ((short) SHORT.get(key, i) & 0xFFFFL) << shift;
                i += Short.BYTES;
                shift += Short.SIZE;
            }
            if (i < end) {
                tail |= (key[i] & 0xFFL) << shift;
            }
            h = Long.rotateLeft(h ^ round(tail), 27) * PRIME_1 + PRIME_3;
        }
        return avalanche(h);
    }

    /**
     * The cursor of the page after one whose last position was {@code lastPosition}:
     * {@link ScanPage#DONE} if that was the largest position there is.
     */
    public static long after(long lastPosition) {
        return lastPosition + 1;
    }

    /** True if {@code key} starts with {@code prefix} (an empty prefix matches every key). */
    public static boolean hasPrefix(byte[] key, byte[] prefix) {
        return key.length >= prefix.length && java.util.Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }

    private static long round(long input) {
        return Long.rotateLeft(input * PRIME_2, 31) * PRIME_1;
    }

    private static long avalanche(long h) {
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        h *= 0xC4CEB9FE1A85EC53L;
        h ^= h >>> 33;
        return h;
    }
}
