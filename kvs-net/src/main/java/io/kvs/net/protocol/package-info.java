/**
 * The kvs wire protocol: length-prefixed binary frames, specified in {@code docs/PROTOCOL.md} and
 * in {@link io.kvs.net.protocol.FrameDescriptor}. {@link io.kvs.net.protocol.FrameDecoder} turns
 * bytes into {@link io.kvs.net.protocol.Request}s and {@link io.kvs.net.protocol.Response}s,
 * checking every length before it trusts it; {@link io.kvs.net.protocol.FrameEncoder} does the
 * reverse. Both sides of a connection use these classes.
 */
package io.kvs.net.protocol;
