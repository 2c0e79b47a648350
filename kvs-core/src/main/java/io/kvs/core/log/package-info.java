/**
 * The built-in log-structured engine, {@link io.kvs.core.log.KvStore}, and its parts.
 *
 * <p>Data lives in segment files ({@link io.kvs.core.log.SegmentFiles}, layout in
 * {@link io.kvs.core.log.SegmentHeader}), each a sequence of checksummed records
 * ({@link io.kvs.core.log.RecordDescriptor}) written and read through Chronicle Bytes memory
 * mappings ({@link io.kvs.core.log.Segment}). An in-memory index built from Agrona maps
 * ({@link io.kvs.core.log.KeyIndex}, made exact by {@link io.kvs.core.log.KeyDir}) maps each live
 * key to the location of its latest record. {@link io.kvs.core.log.LogRecovery} rebuilds the index
 * on open and cuts off a torn tail; {@link io.kvs.core.log.Compactor} rewrites live records in
 * the background and retires old segments once no reader can still touch them
 * ({@link io.kvs.core.log.ReadEpochs}); {@link io.kvs.core.log.LogSyncer} applies the sync
 * policy; {@link io.kvs.core.log.Manifest} records the file set, checked on every open;
 * {@link io.kvs.core.log.LogRepair} salvages a damaged directory on request. The byte-level
 * format is specified in {@code docs/FORMAT.md}.
 *
 * <p>Public: {@code KvStore}, its {@code RepairReport}, and {@code JvmAccess} (the JVM flags it
 * needs); everything else is an implementation detail.
 */
package io.kvs.core.log;
