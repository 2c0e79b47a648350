package io.kvs.net;

/**
 * The engine's counters ({@link io.kvs.core.EngineStats}) as JMX attributes, registered by a
 * running {@link KvsServer} under {@code io.kvs:type=Engine,port=<port>} in the platform MBean
 * server (jconsole, VisualVM, any JMX client). Each read takes a fresh snapshot.
 */
public interface EngineStatsMXBean {

    /** Live keys, expired ones excluded. */
    long getKeys();

    /** Live keys with an expiry. */
    long getKeysWithExpiry();

    /** Bytes of live records. */
    long getLiveBytes();

    /** Bytes of records awaiting compaction. */
    long getStaleBytes();

    /** Bytes of the engine's files. */
    long getDiskBytes();

    /** Log files. */
    long getSegments();

    /** Compactions since the engine opened. */
    long getCompactions();

    /** Expired keys removed since the engine opened. */
    long getExpiredKeysReclaimed();

    /** Read operations since the engine opened. */
    long getReads();

    /** Write operations since the engine opened. */
    long getWrites();
}
