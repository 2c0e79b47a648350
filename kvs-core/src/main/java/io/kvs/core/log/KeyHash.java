package io.kvs.core.log;

import io.kvs.core.ScanOrder;

/**
 * The 64-bit hash the index stores in place of a key. Distinct keys may share a hash; the
 * engine resolves that exactly ({@link KeyDir}), so the quality of the hash affects speed and
 * never correctness. The default is {@link ScanOrder#position}, so the index's hash is also the
 * key's place in scan order.
 */
@FunctionalInterface
interface KeyHash {

    /** The hash of {@code length} bytes of {@code key} starting at {@code offset}. */
    long hash(byte[] key, int offset, int length);

    /** The hash used by {@link KvStore} unless a test substitutes one. */
    KeyHash DEFAULT = ScanOrder::position;
}
