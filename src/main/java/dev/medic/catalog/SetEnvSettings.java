package dev.medic.catalog;

import java.util.Map;
import java.util.Set;

/** {@code fixes.set_env}: the variables to set, name: value (a ladder rung gives them in params). */
public record SetEnvSettings(Map<String, String> vars) {
    static final Set<String> KEYS = Set.of("vars");

    public static SetEnvSettings of(Settings s) {
        return new SetEnvSettings(s.map("vars"));
    }
}
