package io.kvs.bench.peers;

import io.kvs.bench.BenchStore;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.ConcurrentMap;

/**
 * A peer whose data is a {@code ConcurrentMap} of UTF-8 key and value bytes (Chronicle Map,
 * MapDB's {@code HTreeMap}, H2's {@code MVMap}): set, get, the atomic increment
 * ({@code ConcurrentMap.compute}, atomic per key in each of them) and the scan (the key set,
 * iterated) are the map's own operations. Subclasses open the map and close what holds it.
 */
abstract class ConcurrentMapStore implements BenchStore {

    private final ConcurrentMap<byte[], byte[]> map;

    ConcurrentMapStore(ConcurrentMap<byte[], byte[]> map) {
        this.map = map;
    }

    @Override
    public void set(String key, String value) {
        map.put(key.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public Optional<String> get(String key) {
        byte[] value = map.get(key.getBytes(StandardCharsets.UTF_8));
        return value == null ? Optional.empty() : Optional.of(new String(value, StandardCharsets.UTF_8));
    }

    @Override
    public long increment(String key) {
        return Counters.increment(map, key);
    }

    @Override
    public long scanAll() {
        return Counters.count(map.keySet().iterator());
    }
}
