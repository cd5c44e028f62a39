package dev.medic.fix;

import dev.medic.catalog.RaiseShmSizeSettings;
import dev.medic.facts.RunSpec;

import java.util.List;

/**
 * Gives the next attempt's container a larger /dev/shm ({@code factor} times, never above
 * {@code max}): data-loader workers pass batches through shared memory, and Docker's default is
 * 64 MiB. Only containers have a size to raise; a local run reports that it cannot.
 */
public final class RaiseShmSize implements FixExecutor {
    /** The backend setting this fix changes, in bytes. */
    public static final String SHM_SIZE = "shm_size";
    static final long DOCKER_DEFAULT = 64L << 20;

    @Override
    public String id() {
        return "raise_shm_size";
    }

    @Override
    public FixPlan plan(RunSpec spec, FixContext context) {
        RaiseShmSizeSettings s = RaiseShmSizeSettings.of(context.settings());
        if (!s.inContainer()) {
            return FixPlan.cannot("only a container's /dev/shm can be raised (--backend docker); on this host, remount"
                    + " /dev/shm larger");
        }
        double factor = s.factor();
        long max = s.max();
        String now = spec.getBackendSettings().get(SHM_SIZE);
        long current = now == null ? DOCKER_DEFAULT : Long.parseLong(now);
        long next = Math.min(max, (long) (current * factor));
        if (next <= current) {
            return FixPlan.cannot("/dev/shm is already at the catalog's cap (" + mib(current) + ")");
        }
        return FixPlan.change(spec.withBackendSetting(SHM_SIZE, Long.toString(next)),
                List.of("shm-size: " + mib(current) + " -> " + mib(next)));
    }

    private static String mib(long bytes) {
        return bytes % (1L << 30) == 0 ? (bytes >> 30) + "g" : (bytes >> 20) + "m";
    }
}
