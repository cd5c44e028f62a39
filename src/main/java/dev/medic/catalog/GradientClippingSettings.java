package dev.medic.catalog;

import java.util.List;
import java.util.Set;

/**
 * {@code fixes.gradient_clipping}: a clipping value the command gives becomes value x factor (never below min); with
 * none, one is added in the command's style when {@code add_when_missing} is on.
 */
public record GradientClippingSettings(double factor, double min, List<String> flags, List<String> keys, List<String> disabledValues,
                                       String defaultValue, boolean addWhenMissing, String defaultFlag, List<String> hfMarkers,
                                       String lightningFlag, List<String> lightningSubcommands, List<String> lightningMarkers,
                                       String hydraOverride, List<String> notHydraPrograms, List<String> notHydraFlags) {
    static final Set<String> KEYS = Set.of("factor", "min", "flags", "keys", "disabled_values", "default_value", "add_when_missing",
            "default_flag", "hf_markers", "lightning_flag", "lightning_subcommands", "lightning_markers", "hydra_override",
            "not_hydra_programs", "not_hydra_flags");
    private static final java.util.regex.Pattern POSITIVE = java.util.regex.Pattern.compile("(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");

    public static GradientClippingSettings of(Settings s) {
        String defaultValue = s.text("default_value", "1.0");
        if (!POSITIVE.matcher(defaultValue).matches() || new java.math.BigDecimal(defaultValue).signum() <= 0) {
            throw s.fail("default_value", "must be a number greater than 0");
        }
        boolean add = s.bool("add_when_missing", false);
        if (add) {
            required(s, "lightning_flag");
            required(s, "hydra_override");
        }
        return new GradientClippingSettings(s.fraction("factor", 0.5), s.nonNegative("min", 1e-3), s.strings("flags"),
                s.strings("keys"), s.strings("disabled_values"), defaultValue, add, s.text("default_flag", "--max_grad_norm"),
                s.strings("hf_markers"), s.text("lightning_flag", "--trainer.gradient_clip_val"), s.strings("lightning_subcommands"),
                s.strings("lightning_markers"), s.text("hydra_override", "++trainer.gradient_clip_val"), s.strings("not_hydra_programs"),
                s.strings("not_hydra_flags"));
    }

    private static void required(Settings s, String key) {
        String v = s.string(key, null);
        if (v == null || v.isBlank()) {
            throw s.fail(key, "is required when add_when_missing is on");
        }
    }
}
