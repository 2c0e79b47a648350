package io.kvs.core;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The state of a model-based run: an engine under test, a plain {@link HashMap} from key bytes to
 * {@link Entry} holding what it should contain, and the fake clock both read expiry by. Each
 * action applies to both and checks the engine against the model.
 */
public final class EngineModel implements AutoCloseable {

    private final Path dir;
    private final BiFunction<Path, Clock, KvsEngine> opener;
    private final Consumer<KvsEngine> compaction;
    private final MutableClock clock = new MutableClock();
    private final Map<ByteBuffer, Entry> model = new HashMap<>();
    private KvsEngine engine;

    public EngineModel(Path dir, BiFunction<Path, Clock, KvsEngine> opener, Consumer<KvsEngine> compaction) {
        this.dir = dir;
        this.opener = opener;
        this.compaction = compaction;
        this.engine = opener.apply(dir, clock);
    }

    private static ByteBuffer k(byte[] key) {
        return ByteBuffer.wrap(key.clone());
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The model's live entry for {@code key} now, or null. */
    private Entry live(byte[] key) {
        Entry entry = model.get(k(key));
        if (entry != null && entry.isExpiredAt(clock.millis())) {
            model.remove(k(key));
            return null;
        }
        return entry;
    }

    public void set(String key, String value) {
        engine.set(key, value);
        model.put(k(utf8(key)), Entry.of(utf8(value)));
    }

    /** A byte set, expiring {@code ttlMillis} from now (0: never). */
    public void setBytes(byte[] key, byte[] value, long ttlMillis) {
        long expiresAt = ttlMillis == 0 ? Entry.NO_EXPIRY : clock.millis() + ttlMillis;
        engine.set(key, value, expiresAt);
        model.put(k(key), Entry.of(value, expiresAt));
    }

    public void get(String key) {
        Entry entry = live(utf8(key));
        assertEquals(Optional.ofNullable(entry).map(e -> new String(e.value(), StandardCharsets.UTF_8)), engine.get(key),
                () -> "get " + quote(key));
    }

    public void getBytes(byte[] key) {
        assertEquals(Optional.ofNullable(live(key)), engine.getEntry(key), () -> "getEntry " + hex(key));
        assertEquals(live(key) != null, engine.containsKey(key), () -> "containsKey " + hex(key));
    }

    /** A prefetch of {@code keys} changes nothing: each then reads as the model says. */
    public void prefetchThenGet(List<byte[]> keys) {
        engine.prefetch(keys);
        for (byte[] key : keys) {
            getBytes(key);
        }
    }

    public void remove(String key) {
        if (live(utf8(key)) != null) {
            engine.remove(key);
            model.remove(k(utf8(key)));
        } else {
            assertThrows(KeyNotFoundException.class, () -> engine.remove(key), () -> "remove missing " + quote(key));
        }
    }

    /** Sets the key's expiry {@code ttlMillis} from now (0: clears it). */
    public void expire(byte[] key, long ttlMillis) {
        long expiresAt = ttlMillis == 0 ? Entry.NO_EXPIRY : clock.millis() + ttlMillis;
        Entry entry = live(key);
        assertEquals(entry != null, engine.expire(key, expiresAt), () -> "expire " + hex(key));
        if (entry != null) {
            model.put(k(key), entry.withExpiry(expiresAt));
        }
        Ttl ttl = engine.ttl(key);
        assertEquals(entry != null, ttl.keyExists(), () -> "ttl " + hex(key));
        if (entry != null) {
            assertEquals(ttlMillis != 0, ttl.hasExpiry());
            if (ttlMillis != 0) {
                assertEquals(ttlMillis, ttl.remainingMillis());
            }
        }
    }

    public void advance(long millis) {
        clock.advance(millis);
    }

    /** Applies {@code batch} to the engine and, write by write, to the model. */
    public void write(WriteBatch batch) {
        engine.write(batch);
        for (WriteBatch.Write write : batch.writes()) {
            if (write instanceof WriteBatch.Put put) {
                model.put(k(put.key()), put.entry());
            } else if (write instanceof WriteBatch.Delete delete) {
                model.remove(k(delete.key()));
            } else if (write instanceof WriteBatch.Expire expire) {
                Entry entry = live(expire.key());
                if (entry != null) {
                    model.put(k(expire.key()), entry.withExpiry(expire.expiresAtMillis()));
                }
            }
        }
    }

    /** Increments the decimal counter under {@code key} with {@code update} (absent counts as 0; a non-number is left alone). */
    public void increment(byte[] key) {
        Entry before = live(key);
        Entry expected = incremented(before);
        Optional<Entry> after = engine.update(key, EngineModel::incremented);
        assertEquals(Optional.ofNullable(expected), after, () -> "increment " + hex(key));
        if (expected != null) {
            model.put(k(key), expected);
        }
    }

    private static Entry incremented(Entry current) {
        if (current == null) {
            return Entry.of(utf8("1"));
        }
        try {
            long n = Long.parseLong(new String(current.value(), StandardCharsets.UTF_8));
            return current.withValue(utf8(Long.toString(n + 1)));
        } catch (NumberFormatException e) {
            return current;
        }
    }

    /** Scans every key in pages of {@code count}: exactly the model's live keys come back. */
    public void scanAll(int count) {
        Set<ByteBuffer> seen = new HashSet<>();
        long cursor = ScanPage.DONE;
        int pages = 0;
        do {
            ScanPage page = engine.scan(cursor, count);
            for (byte[] key : page.keys()) {
                assertTrue(seen.add(ByteBuffer.wrap(key)), () -> "scan returned " + hex(key) + " twice");
            }
            cursor = page.cursor();
            assertTrue(++pages < 100_000, "the scan ends");
        } while (cursor != ScanPage.DONE);
        assertEquals(liveKeys(), seen, "scanned keys");
    }

    public void reopen() {
        engine.close();
        engine = opener.apply(dir, clock);
    }

    public void compact() {
        compaction.accept(engine);
    }

    private Set<ByteBuffer> liveKeys() {
        long now = clock.millis();
        model.values().removeIf(e -> e.isExpiredAt(now));
        return new HashSet<>(model.keySet());
    }

    /** Checks every key the model knows, the size, and {@code probes}. */
    public void checkAgainstModel(List<String> probes) {
        Set<ByteBuffer> live = liveKeys();
        for (ByteBuffer key : live) {
            byte[] bytes = new byte[key.remaining()];
            key.duplicate().get(bytes);
            assertEquals(Optional.of(model.get(key)), engine.getEntry(bytes), () -> "stored " + hex(bytes));
        }
        assertEquals(live.size(), engine.size(), "size");
        for (String probe : probes) {
            get(probe);
        }
    }

    /** The model's live keys and entries. */
    public Map<ByteBuffer, Entry> model() {
        liveKeys();
        return model;
    }

    @Override
    public void close() {
        if (engine != null) {
            engine.close();
            engine = null;
        }
        TestDirs.delete(dir);
    }

    private static String quote(String s) {
        return '"' + (s.length() > 40 ? s.substring(0, 40) + "...(" + s.length() + " chars)" : s) + '"';
    }

    static String hex(byte[] key) {
        return key.length > 20 ? java.util.HexFormat.of().formatHex(key, 0, 20) + "…(" + key.length + ")"
                : java.util.HexFormat.of().formatHex(key);
    }

    @Override
    public String toString() {
        return "EngineModel{" + model.size() + " keys}";
    }
}
