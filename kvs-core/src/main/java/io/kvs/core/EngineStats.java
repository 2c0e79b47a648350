package io.kvs.core;

/**
 * A snapshot of an engine's counters, read without scanning the data ({@link KvsEngine#stats()}).
 * Counters since open ({@code reads}, {@code writes}, {@code compactions},
 * {@code expiredKeysReclaimed}) start at zero each time the engine opens; the rest describe the
 * data as it is. Each figure is exact when no write is in progress; read together they are not
 * one atomic snapshot.
 *
 * @param keys                 live keys, expired ones not yet reclaimed excluded
 * @param keysWithExpiry       live keys that have an expiry
 * @param liveBytes            bytes of records the index points to (Xodus: its estimate of used space)
 * @param staleBytes           bytes of records no longer live, awaiting compaction (Xodus: its estimate)
 * @param diskBytes            bytes of the engine's files on disk
 * @param segments             log files (KvStore segments, Xodus {@code .xd} files)
 * @param compactions          compactions completed since open (Xodus: garbage-collector runs are not counted; 0)
 * @param expiredKeysReclaimed expired keys removed from the index since open, by the sweep or on open
 * @param reads                read operations since open (get, getEntry, ttl, containsKey, scan pages)
 * @param writes               write operations since open (sets, removes, updates that wrote, transactions)
 */
public record EngineStats(long keys, long keysWithExpiry, long liveBytes, long staleBytes, long diskBytes,
                          long segments, long compactions, long expiredKeysReclaimed, long reads, long writes) {
}
