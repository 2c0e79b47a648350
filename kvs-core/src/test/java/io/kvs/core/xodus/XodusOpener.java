package io.kvs.core.xodus;

import io.kvs.core.KvsException;

import java.nio.file.Path;

/**
 * A child process for {@link XodusKvsEngineWithoutXodusTest}: opens an {@link XodusKvsEngine} on
 * {@code args[0]} and prints {@code ok}, or prints the class and message of the
 * {@link KvsException} it got and exits {@value #FAILED_EXIT}.
 */
public final class XodusOpener {

    static final int FAILED_EXIT = 3;

    private XodusOpener() {
    }

    public static void main(String[] args) {
        try (XodusKvsEngine engine = XodusKvsEngine.open(Path.of(args[0]))) {
            engine.set("k", "v");
        } catch (KvsException e) {
            System.out.println(e.getClass().getName());
            System.out.println(e.getMessage());
            System.out.flush();
            System.exit(FAILED_EXIT);
        }
        System.out.println("ok");
    }
}
