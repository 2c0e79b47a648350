package io.kvs.bench;

import io.kvs.core.KvsEngine;

import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Heap bytes per key: a class histogram of live objects (the JVM's {@code GC.class_histogram},
 * taken after a full GC) before and after {@code --keys} keys {@code key0}, {@code key1}, ...
 * are stored with value {@code "value"}; the difference divided by the number of keys. Prints
 * the classes that grew most, so the figure can be checked.
 */
public final class HeapFootprint {

    private HeapFootprint() {
    }

    public static void main(String[] args) throws Exception {
        int keys = 1_000_000;
        String engine = "kvs";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--keys" -> keys = Integer.parseInt(args[++i]);
                case "--engine" -> engine = args[++i];
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Path dir = Engines.freshDirectory("heap-footprint");
        try (KvsEngine store = Engines.openEngine(engine, dir)) {
            store.set("warm-up", "value");
            Map<String, long[]> before = histogram();
            for (int i = 0; i < keys; i++) {
                store.set("key" + i, "value");
            }
            Map<String, long[]> after = histogram();
            long total = after.get("Total")[1] - before.get("Total")[1];
            System.out.printf(Locale.ROOT, "engine %s: %,d keys, heap grew %,d bytes: %.1f bytes per key%n",
                    engine, keys, total, (double) total / keys);
            List<Map.Entry<String, long[]>> grown = new ArrayList<>(after.entrySet());
            grown.removeIf(e -> e.getKey().equals("Total"));
            grown.sort((a, b) -> Long.compare(growth(b, before), growth(a, before)));
            System.out.println("largest growth by class:");
            for (Map.Entry<String, long[]> entry : grown.subList(0, Math.min(6, grown.size()))) {
                System.out.printf(Locale.ROOT, "  %,15d bytes  %s%n", growth(entry, before), entry.getKey());
            }
        } finally {
            Engines.delete(dir);
        }
    }

    private static long growth(Map.Entry<String, long[]> entry, Map<String, long[]> before) {
        long[] old = before.getOrDefault(entry.getKey(), new long[2]);
        return entry.getValue()[1] - old[1];
    }

    /** Class name to {instances, bytes}, plus "Total", from a live-object histogram. */
    private static Map<String, long[]> histogram() throws Exception {
        String text = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                new Object[]{new String[0]}, new String[]{String[].class.getName()});
        Map<String, long[]> classes = new HashMap<>();
        for (String line : text.split("\n")) {
            String[] words = line.trim().split("\\s+");
            if (words.length >= 4 && words[0].endsWith(":")) {
                classes.merge(words[3], new long[]{Long.parseLong(words[1]), Long.parseLong(words[2])},
                        (a, b) -> new long[]{a[0] + b[0], a[1] + b[1]});
            } else if (words.length == 3 && words[0].equals("Total")) {
                classes.put("Total", new long[]{Long.parseLong(words[1]), Long.parseLong(words[2])});
            }
        }
        return classes;
    }
}
