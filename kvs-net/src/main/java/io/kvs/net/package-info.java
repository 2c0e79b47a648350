/**
 * The network face of kvs: {@link io.kvs.net.KvsServer} serves a {@link io.kvs.core.KvsEngine}
 * over TCP to many concurrent clients with a few NIO event loops, and
 * {@link io.kvs.net.KvsClient} talks to it, one request at a time or pipelined
 * ({@link io.kvs.net.Pipeline}). The wire format lives in {@code io.kvs.net.protocol}.
 */
package io.kvs.net;
