package dev.medic.catalog;

import java.util.List;
import java.util.Set;

/** {@code fixes.reduce_workers}: each worker count becomes floor(count x factor), never below min. */
public record ReduceWorkersSettings(double factor, int min, List<String> flags, List<String> keys, List<String> env) {
    static final Set<String> KEYS = Set.of("factor", "min", "flags", "keys", "env");

    public static ReduceWorkersSettings of(Settings s) {
        double factor = s.fraction("factor", 0.5);
        int min = s.integer("min", 0);
        if (min < 0) {
            throw s.fail("min", "must be zero or more");
        }
        return new ReduceWorkersSettings(factor, min, s.strings("flags"), s.strings("keys"), s.strings("env"));
    }
}
