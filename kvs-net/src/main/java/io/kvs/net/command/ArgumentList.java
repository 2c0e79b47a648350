package io.kvs.net.command;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the RESP arguments of a {@link DataCommand} ({@link DataCommand#arguments}): the form
 * in which a command is shipped to a replication log and parsed back by {@link CommandTable}.
 */
final class ArgumentList {

    private final List<byte[]> items = new ArrayList<>();

    private ArgumentList(String name) {
        add(name);
    }

    /** A list starting with the command {@code name}. */
    static ArgumentList command(String name) {
        return new ArgumentList(name);
    }

    ArgumentList add(byte[] argument) {
        items.add(argument);
        return this;
    }

    ArgumentList add(String argument) {
        items.add(argument.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    ArgumentList add(long number) {
        return add(Long.toString(number));
    }

    ArgumentList addAll(List<byte[]> arguments) {
        items.addAll(arguments);
        return this;
    }

    /** Adds {@code PX ms} or {@code PXAT ms} for a time from now or since the epoch; nothing otherwise. */
    ArgumentList time(ExpirySpec expiry) {
        return switch (expiry.kind()) {
            case IN -> add("PX").add(expiry.millis());
            case AT -> add("PXAT").add(expiry.millis());
            case NONE, KEEP, PERSIST -> this;
        };
    }

    List<byte[]> build() {
        return List.copyOf(items);
    }
}
