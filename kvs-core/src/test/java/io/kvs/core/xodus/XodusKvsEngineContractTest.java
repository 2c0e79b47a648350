package io.kvs.core.xodus;

import io.kvs.core.KvsEngine;
import io.kvs.core.KvsEngineContract;

import java.nio.file.Path;

/** {@link XodusKvsEngine} against the engine contract. */
class XodusKvsEngineContractTest extends KvsEngineContract {

    @Override
    protected KvsEngine newEngine(Path dir) {
        return XodusKvsEngine.open(dir);
    }

    @Override
    protected String engineName() {
        return XodusKvsEngine.ENGINE_NAME;
    }
}
