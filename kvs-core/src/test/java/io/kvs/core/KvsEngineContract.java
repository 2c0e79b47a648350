package io.kvs.core;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterTry;
import net.jqwik.api.state.Action;
import net.jqwik.api.state.ActionChain;
import net.jqwik.api.state.Transformer;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The behaviour every {@link KvsEngine} must show: the String API of the original design here,
 * the kvs-core 2 capabilities in {@link FeatureContract}, the model-based properties in both. An
 * engine's test class extends this and supplies {@link #newEngine(Path, java.time.Clock)}; the
 * properties also use {@link #newModelEngine} and {@link #compact(KvsEngine)}, which engines may
 * override to stress themselves harder (tiny segments, compaction).
 */
public abstract class KvsEngineContract extends FeatureContract {

    private KvsEngine reopen(KvsEngine engine) {
        engine.close();
        return newEngine(dir);
    }

    @Test
    public void storedValueSurvivesReopen() {
        KvsEngine engine = newEngine(dir);
        engine.set("key1", "value1");
        assertEquals(Optional.of("value1"), engine.get("key1"));
        engine = reopen(engine);
        assertEquals(Optional.of("value1"), engine.get("key1"));
        engine.close();
    }

    @Test
    public void overwriteSurvivesReopen() {
        KvsEngine engine = newEngine(dir);
        engine.set("key1", "value1");
        engine.set("key1", "value2");
        assertEquals(Optional.of("value2"), engine.get("key1"));
        engine = reopen(engine);
        assertEquals(Optional.of("value2"), engine.get("key1"));
        engine.set("key1", "value3");
        assertEquals(Optional.of("value3"), engine.get("key1"));
        engine = reopen(engine);
        assertEquals(Optional.of("value3"), engine.get("key1"));
        engine.close();
    }

    @Test
    public void missingKeyIsEmptyBeforeAndAfterReopen() {
        KvsEngine engine = newEngine(dir);
        engine.set("key1", "value1");
        assertEquals(Optional.empty(), engine.get("key2"));
        engine = reopen(engine);
        assertEquals(Optional.empty(), engine.get("key2"));
        engine.close();
    }

    @Test
    public void prefetchIgnoresKeysItCannotUseAndAClosedEngine() {
        KvsEngine engine = newEngine(dir);
        engine.set("key1", "value1");
        List<byte[]> keys = new ArrayList<>();
        keys.add(null);
        keys.add(new byte[KvsLimits.MAX_KEY_BYTES + 1]);
        keys.add("key1".getBytes(StandardCharsets.UTF_8));
        keys.add(new byte[0]);
        for (int i = 0; i < 100; i++) {
            keys.add(("missing" + i).getBytes(StandardCharsets.UTF_8));
        }
        engine.prefetch(keys);
        assertEquals(Optional.of("value1"), engine.get("key1"));
        engine.close();
        engine.prefetch(keys);
    }

    @Test
    public void removeOfMissingKeyFails() {
        try (KvsEngine engine = newEngine(dir)) {
            KeyNotFoundException e = assertThrows(KeyNotFoundException.class, () -> engine.remove("key1"));
            assertEquals("key1", e.key());
            assertEquals("Key not found", e.getMessage());
            engine.set("key1", "value1");
            engine.remove("key1");
            assertThrows(KeyNotFoundException.class, () -> engine.remove("key1"));
        }
    }

    @Test
    public void removeThenGetIsEmptyBeforeAndAfterReopen() {
        KvsEngine engine = newEngine(dir);
        engine.set("key1", "value1");
        engine.remove("key1");
        assertEquals(Optional.empty(), engine.get("key1"));
        KvsEngine reopened = reopen(engine);
        assertEquals(Optional.empty(), reopened.get("key1"));
        assertThrows(KeyNotFoundException.class, () -> reopened.remove("key1"));
        reopened.close();
    }

    @Test
    public void setAfterRemoveSurvivesReopen() {
        KvsEngine engine = newEngine(dir);
        engine.set("key1", "value1");
        engine.remove("key1");
        engine.set("key1", "value2");
        engine = reopen(engine);
        assertEquals(Optional.of("value2"), engine.get("key1"));
        engine.close();
    }

    @Test
    public void thousandThreadsEachSettingOwnKeyAreAllReadableBeforeAndAfterReopen() throws Exception {
        KvsEngine engine = newEngine(dir);
        int threads = 1000;
        KvsEngine shared = engine;
        StartTogether.run(threads, id -> shared.set("key" + id, "value" + id));
        for (int i = 0; i < threads; i++) {
            assertEquals(Optional.of("value" + i), engine.get("key" + i));
        }
        engine = reopen(engine);
        for (int i = 0; i < threads; i++) {
            assertEquals(Optional.of("value" + i), engine.get("key" + i));
        }
        engine.close();
    }

    @Test
    public void hundredThreadsReadingHundredKeysEachSeeStableValues() throws Exception {
        try (KvsEngine engine = newEngine(dir)) {
            for (int i = 0; i < 100; i++) {
                engine.set("key" + i, "value" + i);
            }
            StartTogether.run(100, id -> {
                for (int i = 0; i < 100; i++) {
                    assertEquals(Optional.of("value" + i), engine.get("key" + i));
                }
            });
        }
    }

    @Test
    public void emptyKeyAndEmptyValueAreStored() {
        KvsEngine engine = newEngine(dir);
        engine.set("", "");
        engine.set("k", "");
        engine.set("", "v");
        assertEquals(Optional.of("v"), engine.get(""));
        assertEquals(Optional.of(""), engine.get("k"));
        engine = reopen(engine);
        assertEquals(Optional.of("v"), engine.get(""));
        assertEquals(Optional.of(""), engine.get("k"));
        engine.remove("");
        assertEquals(Optional.empty(), engine.get(""));
        engine.close();
    }

    @Test
    public void unicodeKeysAndValuesRoundTrip() {
        String[][] pairs = {
                {"ключ", "значение"},
                {"键", "值"},
                {"キー", "価値"},
                {"🔑", "💎🚀"},
                {"mixed ключ 键 🔑", "a\u0000b\tc\nd"},
        };
        KvsEngine engine = newEngine(dir);
        for (String[] pair : pairs) {
            engine.set(pair[0], pair[1]);
        }
        for (String[] pair : pairs) {
            assertEquals(Optional.of(pair[1]), engine.get(pair[0]));
        }
        engine = reopen(engine);
        for (String[] pair : pairs) {
            assertEquals(Optional.of(pair[1]), engine.get(pair[0]));
        }
        engine.close();
    }

    @Test
    public void oneMebibyteValueRoundTrips() {
        String value = "x".repeat(1024 * 1024 - 3) + "end";
        KvsEngine engine = newEngine(dir);
        engine.set("big", value);
        engine.set("small", "after");
        assertEquals(Optional.of(value), engine.get("big"));
        engine = reopen(engine);
        assertEquals(Optional.of(value), engine.get("big"));
        assertEquals(Optional.of("after"), engine.get("small"));
        engine.close();
    }

    @Test
    public void keyAtTheLimitIsStoredAndOneByteMoreIsRefused() {
        try (KvsEngine engine = newEngine(dir)) {
            String atLimit = "k".repeat(KvsLimits.MAX_KEY_BYTES);
            engine.set(atLimit, "v");
            assertEquals(Optional.of("v"), engine.get(atLimit));
            LimitExceededException e = assertThrows(LimitExceededException.class,
                    () -> engine.set(atLimit + "k", "v"));
            assertEquals(KvsLimits.MAX_KEY_BYTES + 1, e.actual());
            assertEquals(KvsLimits.MAX_KEY_BYTES, e.limit());
            // The limit counts UTF-8 bytes: half as many two-byte chars plus one is over it.
            assertThrows(LimitExceededException.class,
                    () -> engine.set("ж".repeat(KvsLimits.MAX_KEY_BYTES / 2) + "k", "v"));
            assertThrows(LimitExceededException.class, () -> engine.get(atLimit + "k"));
            assertThrows(LimitExceededException.class, () -> engine.remove(atLimit + "k"));
        }
    }

    @Test
    public void valueAtTheLimitIsStoredAndOneByteMoreIsRefused() {
        KvsEngine engine = newEngine(dir);
        String atLimit = "v".repeat(KvsLimits.MAX_VALUE_BYTES);
        engine.set("max", atLimit);
        LimitExceededException e = assertThrows(LimitExceededException.class,
                () -> engine.set("over", atLimit + "v"));
        assertEquals(KvsLimits.MAX_VALUE_BYTES + 1, e.actual());
        assertEquals(Optional.empty(), engine.get("over"));
        KvsEngine reopened = reopen(engine);
        assertEquals(Optional.of(atLimit), reopened.get("max"));
        reopened.close();
    }

    @Test
    public void nullArgumentsAreRefused() {
        try (KvsEngine engine = newEngine(dir)) {
            assertThrows(NullPointerException.class, () -> engine.set(null, "v"));
            assertThrows(NullPointerException.class, () -> engine.set("k", null));
            assertThrows(NullPointerException.class, () -> engine.get((String) null));
            assertThrows(NullPointerException.class, () -> engine.remove((String) null));
            assertThrows(NullPointerException.class, () -> engine.set((byte[]) null, new byte[0]));
            assertThrows(NullPointerException.class, () -> engine.set(new byte[0], (byte[]) null));
            assertThrows(NullPointerException.class, () -> engine.get((byte[]) null));
            assertThrows(NullPointerException.class, () -> engine.delete(null));
            assertThrows(NullPointerException.class, () -> engine.atomically(null));
        }
    }

    @Test
    public void unpairedSurrogateIsRefusedNotMangled() {
        try (KvsEngine engine = newEngine(dir)) {
            InvalidStringException e = assertThrows(InvalidStringException.class,
                    () -> engine.set("bad\uD800", "v"));
            assertTrue(e.getMessage().contains("index 3"), e.getMessage());
            assertThrows(InvalidStringException.class, () -> engine.set("k", "\uDC00"));
            assertEquals(Optional.empty(), engine.get("bad?"));
        }
    }

    @Test
    public void closedEngineRefusesOperationsAndClosesTwice() {
        KvsEngine engine = newEngine(dir);
        engine.set("k", "v");
        engine.close();
        engine.close();
        assertThrows(EngineClosedException.class, () -> engine.get("k"));
        assertThrows(EngineClosedException.class, () -> engine.set("k", "v"));
        assertThrows(EngineClosedException.class, () -> engine.remove("k"));
    }

    @Test
    public void secondInstanceInThisProcessIsRefused() {
        try (KvsEngine engine = newEngine(dir)) {
            engine.set("k", "v");
            assertThrows(DirectoryLockedException.class, () -> newEngine(dir));
            assertEquals(Optional.of("v"), engine.get("k"));
        }
        try (KvsEngine again = newEngine(dir)) {
            assertEquals(Optional.of("v"), again.get("k"));
        }
    }

    @Test
    public void instanceInAnotherProcessIsRefused() throws Exception {
        Process holder = ChildJvm.start(DirectoryHolder.class, engineName(), dir.toString());
        try (BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8))) {
            assertEquals("opened", out.readLine());
            DirectoryLockedException e = assertThrows(DirectoryLockedException.class, () -> newEngine(dir));
            assertTrue(e.getMessage().contains(dir.toAbsolutePath().toString()), e.getMessage());
        } finally {
            holder.getOutputStream().close();
            assertTrue(holder.waitFor(30, TimeUnit.SECONDS));
        }
        assertEquals(0, holder.exitValue());
        try (KvsEngine engine = newEngine(dir)) {
            assertEquals(Optional.of("yes"), engine.get("held"));
        }
    }

    @Test
    public void directoryOfAnotherEngineIsRefused() {
        DataDirectory.claim(dir, "some-other-engine").close();
        EngineMismatchException e = assertThrows(EngineMismatchException.class, () -> newEngine(dir));
        assertEquals("some-other-engine", e.found());
        assertEquals(engineName(), e.requested());
        assertEquals(Optional.of("some-other-engine"), DataDirectory.engineOf(dir));
    }

    @Test
    public void directoryRecordsItsEngine() {
        newEngine(dir).close();
        assertEquals(Optional.of(engineName()), DataDirectory.engineOf(dir));
    }

    // ---- model-based property ----

    private final List<EngineModel> models = new ArrayList<>();

    @AfterTry
    public void closeModels() {
        for (EngineModel model : models) {
            model.close();
        }
        models.clear();
    }

    @Property(tries = 60, shrinking = net.jqwik.api.ShrinkingMode.BOUNDED)
    public void agreesWithModelThroughBytesExpiryBatchesUpdatesScansReopenAndCompaction(
            @ForAll("engineRuns") ActionChain<EngineModel> chain) {
        List<String> probes = List.of("", "a", "b", "ж", "🔑", "ab", "never-written");
        chain.withInvariant("engine agrees with model", model -> model.checkAgainstModel(probes)).run();
    }

    @Provide
    public Arbitrary<ActionChain<EngineModel>> engineRuns() {
        return ActionChain.<EngineModel>startWith(() -> {
                    EngineModel model = new EngineModel(TestDirs.create("kvs-model"), this::newModelEngine, this::compact);
                    models.add(model);
                    return model;
                })
                .withAction(5, new SetAction())
                .withAction(3, new SetBytesAction())
                .withAction(2, new GetAction())
                .withAction(2, act(binaryKeys().map(k -> Transformer.mutate("getBytes " + EngineModel.hex(k),
                        m -> m.getBytes(k)))))
                .withAction(1, act(binaryKeys().list().ofMinSize(1).ofMaxSize(20).map(ks -> Transformer.mutate(
                        "prefetch then get " + ks.size() + " keys", m -> m.prefetchThenGet(ks)))))
                .withAction(2, new RemoveAction())
                .withAction(2, act(binaryKeys().flatMap(k -> ttls().map(t -> Transformer.mutate(
                        "expire " + EngineModel.hex(k) + " in " + t, m -> m.expire(k, t))))))
                .withAction(2, act(Arbitraries.of(1L, 50L, 500L, 5_000L).map(t -> Transformer.mutate(
                        "advance " + t + " ms", m -> m.advance(t)))))
                .withAction(2, act(batches().map(batch -> Transformer.mutate("batch of " + batch.size(),
                        m -> m.write(batch)))))
                .withAction(2, act(Arbitraries.of("n1", "n2", "a").map(k -> Transformer.mutate("increment " + k,
                        m -> m.increment(b(k))))))
                .withAction(1, act(Arbitraries.of(1, 2, 7, 1000).map(c -> Transformer.mutate("scan by " + c,
                        m -> m.scanAll(c)))))
                .withAction(1, Action.just(Transformer.mutate("reopen", EngineModel::reopen)))
                .withAction(1, Action.just(Transformer.mutate("compact", EngineModel::compact)))
                .withMaxTransformations(60);
    }

    /** An action drawn from {@code transformers}, whatever the state. */
    private static Action<EngineModel> act(Arbitrary<Transformer<EngineModel>> transformers) {
        return new Action.Independent<>() {
            @Override
            public Arbitrary<Transformer<EngineModel>> transformer() {
                return transformers;
            }
        };
    }

    /** Keys of any bytes, few of them: the string keys' bytes, bytes that are not UTF-8, and counters. */
    static Arbitrary<byte[]> binaryKeys() {
        return Arbitraries.oneOf(
                keys().map(FeatureContract::b),
                Arbitraries.of(new byte[] {(byte) 0xff}, new byte[] {(byte) 0xfe}, new byte[] {(byte) 0xc3},
                        new byte[] {0, 0}, b("n1")),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(4));
    }

    static Arbitrary<byte[]> binaryValues() {
        return Arbitraries.oneOf(
                Arbitraries.bytes().array(byte[].class).ofMaxSize(20),
                Arbitraries.of(b("7"), b("-3"), new byte[0]),
                Arbitraries.bytes().array(byte[].class).ofMinSize(100).ofMaxSize(2000));
    }

    /** Times to live in milliseconds; 0 is none. */
    static Arbitrary<Long> ttls() {
        return Arbitraries.of(0L, 1L, 10L, 100L, 1_000L, 60_000L);
    }

    static Arbitrary<WriteBatch> batches() {
        Arbitrary<Consumer<WriteBatch>> write = Arbitraries.oneOf(
                binaryKeys().flatMap(k -> binaryValues().map(v -> batch -> batch.set(k, v))),
                binaryKeys().map(k -> batch -> batch.delete(k)),
                binaryKeys().map(k -> batch -> batch.expire(k, Entry.NO_EXPIRY)));
        return write.list().ofMinSize(1).ofMaxSize(6).map(writes -> {
            WriteBatch batch = new WriteBatch();
            writes.forEach(w -> w.accept(batch));
            return batch;
        });
    }

    private static final class SetBytesAction implements Action.Independent<EngineModel> {
        @Override
        public Arbitrary<Transformer<EngineModel>> transformer() {
            return binaryKeys().flatMap(key -> binaryValues().flatMap(value -> ttls().map(ttl ->
                    Transformer.mutate("setBytes " + EngineModel.hex(key) + " = " + value.length + " bytes ttl " + ttl,
                            m -> m.setBytes(key, value, ttl)))));
        }
    }

    /** Few distinct keys, so overwrites, removes and re-sets of the same key are common. */
    static Arbitrary<String> keys() {
        return Arbitraries.oneOf(
                Arbitraries.of("", "a", "b", "ab", "ж", "🔑"),
                Arbitraries.strings().withChars("abж🔑".toCharArray()).ofMaxLength(3).filter(KvsEngineContract::validUnicode),
                Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(8));
    }

    static Arbitrary<String> values() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(20).filter(KvsEngineContract::validUnicode),
                Arbitraries.strings().alpha().ofMinLength(100).ofMaxLength(3000),
                Arbitraries.of("", "значение", "值", "💎"));
    }

    /** True if {@code s} has no unpaired surrogate, so that it has a UTF-8 form. */
    public static boolean validUnicode(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    private static final class SetAction implements Action.Independent<EngineModel> {
        @Override
        public Arbitrary<Transformer<EngineModel>> transformer() {
            return keys().flatMap(key -> values().map(value ->
                    Transformer.mutate("set " + describe(key) + " = " + describe(value), m -> m.set(key, value))));
        }
    }

    private static final class GetAction implements Action.Independent<EngineModel> {
        @Override
        public Arbitrary<Transformer<EngineModel>> transformer() {
            return keys().map(key -> Transformer.mutate("get " + describe(key), m -> m.get(key)));
        }
    }

    private static final class RemoveAction implements Action.Dependent<EngineModel> {
        @Override
        public Arbitrary<Transformer<EngineModel>> transformer(EngineModel state) {
            List<String> known = new ArrayList<>();
            state.model().keySet().forEach(k -> known.add(StandardCharsets.UTF_8.decode(k.duplicate()).toString()));
            Arbitrary<String> key = known.isEmpty() ? keys() : Arbitraries.oneOf(keys(), Arbitraries.of(known));
            return key.map(k -> Transformer.mutate("remove " + describe(k), m -> m.remove(k)));
        }
    }

    private static String describe(String s) {
        return '"' + (s.length() > 12 ? s.substring(0, 12) + "…(" + s.length() + ")" : s) + '"';
    }
}
