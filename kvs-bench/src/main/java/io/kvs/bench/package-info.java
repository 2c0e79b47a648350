/**
 * Measurements: JMH benchmarks comparing {@code KvStore} with {@code XodusKvsEngine}
 * ({@code *Benchmark}, run by {@link io.kvs.bench.BenchMain}), the network load generator
 * ({@link io.kvs.bench.LoadGenerator}, kvs protocol or RESP for Redis), the heap footprint of the
 * index ({@link io.kvs.bench.HeapFootprint}) and the charts of the results
 * ({@link io.kvs.bench.ChartMain}). See {@code kvs-bench/README.md} and {@code docs/BENCHMARKS.md}.
 */
package io.kvs.bench;
