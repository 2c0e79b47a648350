package io.kvs.core.log;

import io.kvs.core.KvStoreOptions;
import io.kvs.core.KvsEngine;
import io.kvs.core.KvsEngineContract;

import java.nio.file.Path;
import java.time.Clock;

/**
 * {@link KvStore} with a hash that puts every key in one of three buckets, against the engine
 * contract: every lookup, overwrite, remove, replay and compaction must resolve hash collisions
 * exactly.
 */
class KvStoreHashCollisionContractTest extends KvsEngineContract {

    static final KeyHash THREE_BUCKETS = (key, offset, length) -> length % 3;

    @Override
    protected KvsEngine newEngine(Path dir, Clock clock) {
        return KvStore.open(dir, KvStoreOptions.defaults().withClock(clock), THREE_BUCKETS);
    }

    @Override
    protected String engineName() {
        return KvStore.ENGINE_NAME;
    }

    @Override
    protected KvsEngine newModelEngine(Path dir, Clock clock) {
        return KvStore.open(dir, KvStoreContractTest.TINY.withClock(clock), THREE_BUCKETS);
    }

    @Override
    protected void compact(KvsEngine engine) {
        ((KvStore) engine).compact();
    }
}
