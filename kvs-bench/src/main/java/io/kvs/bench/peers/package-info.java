/**
 * The peers: embedded stores a user might pick instead of kvs, each as a
 * {@link io.kvs.bench.BenchStore} so that the JMH benchmarks measure them side by side with kvs
 * and Xodus. {@link io.kvs.bench.peers.Peer} names them and opens each in a directory with its
 * library's documented defaults; each class's javadoc says which settings had to be chosen, and
 * what durability its defaults give. See {@code kvs-bench/README.md}, "Peers".
 */
package io.kvs.bench.peers;
