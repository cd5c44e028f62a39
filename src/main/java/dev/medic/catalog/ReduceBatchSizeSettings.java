package dev.medic.catalog;

import java.util.List;
import java.util.Set;

/** {@code fixes.reduce_batch_size}: where a command gives its batch size, and how far it goes down. */
public record ReduceBatchSizeSettings(double factor, int min, List<String> flags, List<String> keys, List<String> env,
                                      List<String> accumulationFlags, List<String> accumulationKeys, List<String> accumulationEnv,
                                      List<String> configFlags, List<String> configKeys, List<String> configAccumulationKeys) {
    static final Set<String> KEYS = Set.of("factor", "min", "flags", "keys", "env", "accumulation_flags", "accumulation_keys",
            "accumulation_env", "config_flags", "config_keys", "config_accumulation_keys");

    public static ReduceBatchSizeSettings of(Settings s) {
        double factor = s.number("factor", 0.5);
        if (!(factor > 0 && factor < 1)) {
            throw s.fail("factor", "must be between 0 and 1 (exclusive)");
        }
        int min = s.integer("min", 1);
        if (min < 1) {
            throw s.fail("min", "must be at least 1");
        }
        return new ReduceBatchSizeSettings(factor, min, s.strings("flags"), s.strings("keys"), s.strings("env"),
                s.strings("accumulation_flags"), s.strings("accumulation_keys"), s.strings("accumulation_env"),
                s.strings("config_flags"), s.strings("config_keys"), s.strings("config_accumulation_keys"));
    }
}
