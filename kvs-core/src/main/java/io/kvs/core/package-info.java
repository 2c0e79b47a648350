/**
 * The public API of kvs: the {@link io.kvs.core.KvsEngine} interface every engine implements,
 * the exception hierarchy rooted at {@link io.kvs.core.KvsException}, the documented size
 * limits in {@link io.kvs.core.KvsLimits}, the options of the built-in engine
 * ({@link io.kvs.core.KvStoreOptions}, {@link io.kvs.core.SyncPolicy}) and
 * {@link io.kvs.core.DataDirectory}, which records which engine owns a directory and keeps a
 * second engine instance out of it.
 *
 * <p>The engines themselves live in {@code io.kvs.core.log} ({@code KvStore}) and
 * {@code io.kvs.core.xodus} ({@code XodusKvsEngine}).
 */
package io.kvs.core;
