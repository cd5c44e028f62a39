package dev.medic.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** p50, p99 and max of a sample of durations in nanoseconds, by the nearest-rank method. */
record Percentiles(int count, long p50, long p99, long max) {
    static Percentiles of(List<Long> nanos) {
        if (nanos.isEmpty()) {
            throw new IllegalArgumentException("no samples");
        }
        List<Long> sorted = new ArrayList<>(nanos);
        sorted.sort(null);
        return new Percentiles(sorted.size(), rank(sorted, 50), rank(sorted, 99), sorted.get(sorted.size() - 1));
    }

    private static long rank(List<Long> sorted, int p) {
        int k = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, k - 1));
    }

    String describe() {
        return String.format(Locale.ROOT, "p50 %s, p99 %s, max %s (n=%d)", ms(p50), ms(p99), ms(max), count);
    }

    static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
    }
}
