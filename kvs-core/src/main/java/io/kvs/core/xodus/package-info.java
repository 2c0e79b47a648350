/**
 * {@link io.kvs.core.xodus.XodusKvsEngine}: the {@link io.kvs.core.KvsEngine} contract on a
 * JetBrains Xodus {@code Environment}, the second engine behind the same interface.
 */
package io.kvs.core.xodus;
