package dev.medic.fix;

import dev.medic.catalog.SetEnvSettings;
import dev.medic.facts.RunSpec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sets the environment variables of {@code vars} (name: value, usually a ladder rung's params) in
 * the next attempt's environment. The command line is not touched.
 */
public final class SetEnv implements FixExecutor {
    @Override
    public String id() {
        return "set_env";
    }

    @Override
    public boolean needsCommand() {
        return false;
    }

    @Override
    public FixPlan plan(RunSpec spec, FixContext context) {
        SetEnvSettings s = SetEnvSettings.of(context.settings());
        Map<String, String> vars = s.vars();
        if (vars.isEmpty()) {
            return FixPlan.cannot("no variables to set (give them as vars: {NAME: value} in the rung's params)");
        }
        List<String> bad = new ArrayList<>();
        for (String name : vars.keySet()) {
            if (!RunSpec.isEnvName(name)) {
                bad.add("'" + name + "'");
            }
        }
        if (!bad.isEmpty()) {
            return FixPlan.cannot("not a valid environment variable name: " + String.join(", ", bad));
        }
        Map<String, String> env = new LinkedHashMap<>(spec.getEnv());
        List<String> changes = new ArrayList<>();
        for (Map.Entry<String, String> e : vars.entrySet()) {
            String old = spec.getEnv().get(e.getKey());
            if (!e.getValue().equals(old)) {
                env.put(e.getKey(), e.getValue());
                changes.add("env " + e.getKey() + ": " + CpuFallback.shown(old) + " -> " + CpuFallback.shown(e.getValue()));
            }
        }
        if (changes.isEmpty()) {
            return FixPlan.cannot("every variable already has that value (" + String.join(", ",
                    vars.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList()) + ")");
        }
        return FixPlan.change(spec.withEnv(env), changes);
    }
}
