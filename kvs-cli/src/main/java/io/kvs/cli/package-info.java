/**
 * The two programs: {@link io.kvs.cli.ServerMain} ({@code kvs-server}) and
 * {@link io.kvs.cli.ClientMain} ({@code kvs-client}). Their options are declared with JCommander
 * annotations and read by {@link io.kvs.cli.CommandLine}, which keeps keys and values byte for
 * byte; numbers are range-checked by {@link io.kvs.cli.NumericOptions}, addresses parsed by
 * {@link io.kvs.cli.Addresses}, and {@code --value-file} read by {@link io.kvs.cli.ValueFile}.
 * Expected failures end as one sentence on stderr and a non-zero exit code
 * ({@link io.kvs.cli.CliFailure}); a stack trace only with {@code --debug}.
 */
package io.kvs.cli;
