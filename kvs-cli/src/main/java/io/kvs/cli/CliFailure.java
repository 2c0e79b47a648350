package io.kvs.cli;

/** An expected failure of a program: a sentence for stderr and the exit code. */
final class CliFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Exit code for bad arguments. */
    static final int USAGE = 2;
    /** Exit code for every other failure. */
    static final int FAILURE = 1;

    private final int exitCode;

    CliFailure(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    CliFailure(String message, int exitCode, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    static CliFailure usage(String message) {
        return new CliFailure(message, USAGE);
    }

    int exitCode() {
        return exitCode;
    }
}
