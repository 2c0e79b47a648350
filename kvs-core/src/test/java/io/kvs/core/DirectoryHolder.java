package io.kvs.core;

import io.kvs.core.log.KvStore;
import io.kvs.core.xodus.XodusKvsEngine;

import java.nio.file.Path;

/**
 * A child process for locking tests: opens the engine named by {@code args[0]} on the directory
 * {@code args[1]}, prints {@code opened}, and holds it until its standard input closes.
 */
public final class DirectoryHolder {

    private DirectoryHolder() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[1]);
        try (KvsEngine engine = args[0].equals(XodusKvsEngine.ENGINE_NAME)
                ? XodusKvsEngine.open(dir) : KvStore.open(dir)) {
            engine.set("held", "yes");
            System.out.println("opened");
            System.out.flush();
            while (System.in.read() >= 0) {
                // Hold the directory until the parent closes our input.
            }
        }
    }
}
