package io.kvs.net.command;

/**
 * Thrown while a request is parsed into a command, carrying the error to answer; caught by
 * {@link CommandTable#parse}, which turns it into a {@link Rejected} command. Never leaves this
 * package.
 */
final class InvalidCommandException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient Reply.Error error;

    InvalidCommandException(Reply.Error error) {
        super(error.line(), null, false, false);
        this.error = error;
    }

    Reply.Error error() {
        return error;
    }

    static InvalidCommandException syntax() {
        return new InvalidCommandException(Reply.err("syntax error"));
    }

    static InvalidCommandException notAnInteger() {
        return new InvalidCommandException(Reply.err("value is not an integer or out of range"));
    }
}
