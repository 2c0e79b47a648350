/**
 * The two programs: {@link io.kvs.cli.ServerMain} ({@code kvs-server}) and
 * {@link io.kvs.cli.ClientMain} ({@code kvs-client}), parsed with JCommander. Expected failures
 * end as one sentence on stderr and a non-zero exit code ({@link io.kvs.cli.CliFailure}); a stack
 * trace only with {@code --debug}.
 */
package io.kvs.cli;
