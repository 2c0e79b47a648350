package io.kvs.core.xodus;

import io.kvs.core.Format1Fixture;
import io.kvs.core.SyncPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/**
 * A Xodus data directory written by the last release before kvs-core 2 (commit 93f171e, checked
 * in under {@code format1/}) opens, reads back exactly, takes writes and survives a reopen
 * ({@link Format1Fixture}).
 */
class XodusOlderBuildDirectoryTest {

    @TempDir
    Path dir;

    @Test
    void directoryOfTheLastFormat1ReleaseOpensReadsBackAndKeepsWorking() {
        Format1Fixture.copy(XodusOlderBuildDirectoryTest.class, "format1", dir);
        Format1Fixture.opensReadsBackAndKeepsWorking(dir, d -> XodusKvsEngine.open(d, SyncPolicy.NEVER), e -> { });
    }
}
