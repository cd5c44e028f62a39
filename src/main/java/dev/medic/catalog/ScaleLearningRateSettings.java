package dev.medic.catalog;

import java.util.List;
import java.util.Set;

/** {@code fixes.scale_learning_rate}: every learning rate the command gives becomes value x factor, never below min. */
public record ScaleLearningRateSettings(double factor, double min, List<String> flags, List<String> keys, List<String> env) {
    static final Set<String> KEYS = Set.of("factor", "min", "flags", "keys", "env");

    public static ScaleLearningRateSettings of(Settings s) {
        return new ScaleLearningRateSettings(s.fraction("factor", 0.5), s.nonNegative("min", 1e-8), s.strings("flags"),
                s.strings("keys"), s.strings("env"));
    }
}
