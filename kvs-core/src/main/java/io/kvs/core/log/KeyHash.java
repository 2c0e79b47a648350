package io.kvs.core.log;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The 64-bit hash the index stores in place of a key. Distinct keys may share a hash; the
 * engine resolves that exactly ({@link KeyDir}), so the quality of the hash affects speed and
 * never correctness. The default mixes eight bytes at a time with the xxHash64 round and
 * finishes with the murmur3 avalanche.
 */
@FunctionalInterface
interface KeyHash {

    /** The hash of {@code length} bytes of {@code key} starting at {@code offset}. */
    long hash(byte[] key, int offset, int length);

    /** The hash used by {@link KvStore} unless a test substitutes one. */
    KeyHash DEFAULT = Mixer::hash;

    /** The default hash function. */
    final class Mixer {
        private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
        private static final long PRIME_1 = 0x9E3779B185EBCA87L;
        private static final long PRIME_2 = 0xC2B2AE3D27D4EB4FL;
        private static final long PRIME_3 = 0x165667B19E3779F9L;

        private Mixer() {
        }

        static long hash(byte[] key, int offset, int length) {
            long h = PRIME_3 + length * PRIME_1;
            int i = offset;
            int end = offset + length;
            for (; i + Long.BYTES <= end; i += Long.BYTES) {
                h = Long.rotateLeft(h ^ round((long) LONG.get(key, i)), 27) * PRIME_1 + PRIME_3;
            }
            if (i < end) {
                long tail = 0;
                for (int shift = 0; i < end; i++, shift += 8) {
                    tail |= (key[i] & 0xFFL) << shift;
                }
                h = Long.rotateLeft(h ^ round(tail), 27) * PRIME_1 + PRIME_3;
            }
            return avalanche(h);
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
}
