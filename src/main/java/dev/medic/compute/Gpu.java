package dev.medic.compute;

import java.util.List;

/** One GPU as nvidia-smi reports it; -1 where it says [N/A]. Memory in MiB, utilisation in percent. */
public record Gpu(int index, String name, String uuid, long memoryTotalMib, long memoryUsedMib, long memoryFreeMib,
                  int utilizationPercent, int temperatureC, List<MigDevice> mig) {
    public Gpu {
        mig = List.copyOf(mig);
    }

    /** A MIG instance of the GPU ({@code MIG 1g.10gb Device 0: (UUID: MIG-...)}). */
    public record MigDevice(int index, String profile, String uuid) {
    }
}
