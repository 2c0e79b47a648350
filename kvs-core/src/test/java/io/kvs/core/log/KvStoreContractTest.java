package io.kvs.core.log;

import io.kvs.core.KvStoreOptions;
import io.kvs.core.KvsEngine;
import io.kvs.core.KvsEngineContract;
import io.kvs.core.SyncPolicy;

import java.nio.file.Path;
import java.time.Clock;

/** {@link KvStore} with default options against the engine contract; the model run uses tiny segments. */
class KvStoreContractTest extends KvsEngineContract {

    /** 4 KiB segments and compaction at the first stale byte: many segments, many compactions. */
    static final KvStoreOptions TINY = KvStoreOptions.defaults()
            .withSegmentBytes(KvStoreOptions.SEGMENT_BYTES_MIN)
            .withCompactionThresholdBytes(1)
            .withCompactionMinStaleRatio(0)
            .withSyncPolicy(SyncPolicy.NEVER);

    @Override
    protected KvsEngine newEngine(Path dir, Clock clock) {
        return KvStore.open(dir, KvStoreOptions.defaults().withClock(clock));
    }

    @Override
    protected String engineName() {
        return KvStore.ENGINE_NAME;
    }

    @Override
    protected KvsEngine newModelEngine(Path dir, Clock clock) {
        return KvStore.open(dir, TINY.withClock(clock));
    }

    @Override
    protected void compact(KvsEngine engine) {
        ((KvStore) engine).compact();
    }
}
