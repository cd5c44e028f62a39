package dev.medic.catalog;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code fixes.exclude_gpu}: the process counts lowered to the GPUs left, and launchers that pick GPUs themselves. */
public record ExcludeGpuSettings(int gpuCount, List<String> processFlags, List<String> processKeys, List<String> allDevicesValues,
                                 Map<String, List<String>> ignoresVisibleDevices) {
    static final Set<String> KEYS = Set.of("gpu_count", "process_flags", "process_keys", "all_devices_values", "ignores_visible_devices");

    public static ExcludeGpuSettings of(Settings s) {
        return new ExcludeGpuSettings(s.integer("gpu_count", 0), s.strings("process_flags"), s.strings("process_keys"),
                s.strings("all_devices_values"), s.listMap("ignores_visible_devices"));
    }
}
