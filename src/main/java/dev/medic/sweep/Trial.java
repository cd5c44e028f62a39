package dev.medic.sweep;

import java.util.LinkedHashMap;
import java.util.Map;

/** One point of a sweep: its number (1-based) and parameter values, in the order they were given. */
public record Trial(int number, Map<String, String> params) {
    public Trial {
        params = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    /** {@code lr=0.001 bs=32}: how the trial is named in messages and files. */
    public String label() {
        StringBuilder b = new StringBuilder();
        params.forEach((k, v) -> b.append(b.length() > 0 ? " " : "").append(k).append('=').append(v));
        return b.toString();
    }
}
