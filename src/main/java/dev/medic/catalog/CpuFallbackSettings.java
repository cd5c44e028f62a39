package dev.medic.catalog;

import dev.medic.facts.RunSpec;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code fixes.cpu_fallback}: what changes when a run moves off the GPU. */
public record CpuFallbackSettings(Map<String, String> env, List<String> deviceFlags, List<String> deviceKeys, String cpuValue,
                                  List<String> removeFlags, List<String> precisionFlags, List<String> precisionKeys,
                                  Map<String, String> cpuPrecision, List<String> gpuOnlyPrograms) {
    static final Set<String> KEYS = Set.of("env", "device_flags", "device_keys", "cpu_value", "remove_flags", "precision_flags",
            "precision_keys", "cpu_precision", "gpu_only_programs");

    public static CpuFallbackSettings of(Settings s) {
        Map<String, String> env = s.map("env");
        for (String name : env.keySet()) {
            if (!RunSpec.isEnvName(name)) {
                throw s.fail("env", "'" + name + "' is not a valid environment variable name");
            }
        }
        return new CpuFallbackSettings(env, s.strings("device_flags"), s.strings("device_keys"), s.string("cpu_value", "cpu"),
                s.strings("remove_flags"), s.strings("precision_flags"), s.strings("precision_keys"), s.map("cpu_precision"),
                s.strings("gpu_only_programs"));
    }
}
