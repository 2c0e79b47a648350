package io.kvs.core.xodus;

import io.kvs.core.CheckpointDirectory;

import java.nio.file.Path;

/**
 * Writes a checkpoint of an {@link XodusKvsEngine}: Xodus's own backup strategy copies its log
 * files up to the last committed transaction while writes go on, into a directory that
 * {@link CheckpointDirectory} publishes once complete.
 */
final class XodusCheckpoint {

    private XodusCheckpoint() {
    }

    static void write(XodusEnvironment environment, Path storeDir, Path target) {
        CheckpointDirectory.build(storeDir, XodusKvsEngine.ENGINE_NAME, target, environment::backup);
    }
}
