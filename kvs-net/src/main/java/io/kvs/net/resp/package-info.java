/**
 * Redis's protocol, RESP2 and RESP3 (specified in {@code docs/RESP.md}):
 * {@link io.kvs.net.resp.RespDecoder} turns requests (arrays of bulk strings, or inline lines)
 * into argument lists, checking every count and length against its limits before it allocates
 * anything, and {@link io.kvs.net.resp.RespEncoder} writes {@link io.kvs.net.command.Reply}s in
 * the connection's protocol version.
 */
package io.kvs.net.resp;
