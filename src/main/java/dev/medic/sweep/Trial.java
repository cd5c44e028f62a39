package dev.medic.sweep;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One point of a sweep: its number (1-based) and parameter values, in the order they were given;
 * {@code secret} names the parameters whose values are shown as {@code ***} wherever the sweep
 * shows them (its files, the console, the digest), though the command gets them whole.
 */
public record Trial(int number, Map<String, String> params, Set<String> secret) {
    public Trial {
        params = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(params));
        secret = Set.copyOf(secret);
    }

    public Trial(int number, Map<String, String> params) {
        this(number, params, Set.of());
    }

    /** This trial with these parameters' values secret. */
    public Trial hiding(Set<String> names) {
        return new Trial(number, params, names);
    }

    /** The parameters as the sweep shows them: secret values masked. */
    public Map<String, String> shownParams() {
        Map<String, String> out = new LinkedHashMap<>();
        params.forEach((k, v) -> out.put(k, secret.contains(k) ? dev.medic.logs.Redactor.MASK : v));
        return out;
    }

    /** The values of the secret parameters, for the trial's run to mask wherever they appear. */
    public List<String> secretValues() {
        return params.entrySet().stream().filter(e -> secret.contains(e.getKey())).map(Map.Entry::getValue).toList();
    }

    /** {@code lr=0.001 bs=32 token=***}: how the trial is named in messages and files. */
    public String label() {
        StringBuilder b = new StringBuilder();
        shownParams().forEach((k, v) -> b.append(b.length() > 0 ? " " : "").append(k).append('=').append(v));
        return b.toString();
    }
}
