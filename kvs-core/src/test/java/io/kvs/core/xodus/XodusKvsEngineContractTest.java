package io.kvs.core.xodus;

import io.kvs.core.KvsEngine;
import io.kvs.core.KvsEngineContract;
import io.kvs.core.SyncPolicy;

import java.nio.file.Path;
import java.time.Clock;

/** {@link XodusKvsEngine} against the engine contract. */
class XodusKvsEngineContractTest extends KvsEngineContract {

    @Override
    protected KvsEngine newEngine(Path dir, Clock clock) {
        return XodusKvsEngine.open(dir, SyncPolicy.EVERY_SECOND, clock);
    }

    @Override
    protected String engineName() {
        return XodusKvsEngine.ENGINE_NAME;
    }
}
