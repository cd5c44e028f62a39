package dev.medic.catalog;

import dev.medic.util.Durations;

import java.time.Duration;
import java.util.Set;

/** {@code fixes.retry_backoff}: the wait before a retry, initial x factor^uses (+- jitter), at most max. */
public record RetryBackoffSettings(Duration initial, Duration max, double factor, double jitter) {
    static final Set<String> KEYS = Set.of("initial", "max", "factor", "jitter");

    public static RetryBackoffSettings of(Settings s) {
        Duration initial = duration(s, "initial", "30s");
        Duration max = duration(s, "max", "10m");
        double factor = s.number("factor", 2.0);
        double jitter = s.number("jitter", 0.2);
        if (factor < 1 || jitter < 0 || jitter >= 1) {
            throw s.fail("factor", "factor must be >= 1 and jitter in [0, 1)");
        }
        return new RetryBackoffSettings(initial, max, factor, jitter);
    }

    static Duration duration(Settings s, String key, String fallback) {
        try {
            return Durations.parse(s.string(key, fallback));
        } catch (IllegalArgumentException e) {
            throw s.fail(key, e.getMessage());
        }
    }
}
