package dev.medic.catalog;

import dev.medic.util.ByteSizes;

import java.util.Set;

/** {@code fixes.raise_shm_size}: a container's /dev/shm grows by factor at each use, up to max bytes. */
public record RaiseShmSizeSettings(boolean inContainer, double factor, long max) {
    static final Set<String> KEYS = Set.of("in_container", "factor", "max");

    public static RaiseShmSizeSettings of(Settings s) {
        double factor = s.number("factor", 2.0);
        if (!(factor > 1)) {
            throw s.fail("factor", "must be more than 1");
        }
        try {
            return new RaiseShmSizeSettings(s.bool("in_container", false), factor, ByteSizes.parse(s.text("max", "16g")));
        } catch (IllegalArgumentException e) {
            throw s.fail("max", e.getMessage());
        }
    }
}
