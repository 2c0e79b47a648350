/**
 * {@link io.kvs.core.xodus.XodusKvsEngine}: the {@link io.kvs.core.KvsEngine} contract on a
 * JetBrains Xodus {@code Environment}, the second engine behind the same interface. Xodus is an
 * optional dependency of kvs-core; every call into it goes through the package-private
 * {@code XodusEnvironment}, so the engine can report a missing Xodus instead of failing to load.
 */
package io.kvs.core.xodus;
