package io.kvs.bench;

/** The keys the benchmarks use: {@code key0}, {@code key1}, ... */
final class BenchKeys {

    private BenchKeys() {
    }

    /** {@code key<first>} … {@code key<first + count - 1>}. */
    static String[] names(int first, int count) {
        String[] names = new String[count];
        for (int i = 0; i < count; i++) {
            names[i] = "key" + (first + i);
        }
        return names;
    }
}
