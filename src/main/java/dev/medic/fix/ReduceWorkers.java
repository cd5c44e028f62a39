package dev.medic.fix;

import dev.medic.catalog.ReduceWorkersSettings;
import dev.medic.facts.RunSpec;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Lowers the number of data-loader worker processes wherever the command gives it (flags,
 * overrides, environment variables): each count becomes {@code floor(count * factor)}, so 1 goes
 * to 0 (loading in the main process), never below {@code min}. It never adds a flag.
 */
public final class ReduceWorkers implements FixExecutor {
    private static final Pattern COUNT = Pattern.compile("[0-9]{1,9}");

    @Override
    public String id() {
        return "reduce_workers";
    }

    @Override
    public FixPlan plan(RunSpec spec, FixContext context) {
        ReduceWorkersSettings s = ReduceWorkersSettings.of(context.settings());
        double factor = s.factor();
        int min = s.min();
        Set<String> flags = new HashSet<>(s.flags());
        Set<String> keys = new HashSet<>(s.keys());
        Set<String> envNames = new HashSet<>(s.env());
        keys.addAll(envNames);

        List<ArgValue> found = ArgValue.find(spec.getArgv(), flags, keys, COUNT);
        Map<String, String> envFound = new LinkedHashMap<>();
        for (String n : sorted(envNames)) {
            String v = spec.getEnv().get(n);
            if (v != null && COUNT.matcher(v.strip()).matches()) {
                envFound.put(n, v.strip());
            }
        }
        if (found.isEmpty() && envFound.isEmpty()) {
            return FixPlan.cannot("no data-loader worker count found in the command (looked for "
                    + String.join(", ", sorted(flags)) + ", overrides ending in "
                    + String.join("/", sorted(new HashSet<>(s.keys())))
                    + (envNames.isEmpty() ? "" : " and the environment variables " + String.join(", ", sorted(envNames)))
                    + "); not guessing a flag");
        }
        List<String> argv = new ArrayList<>(spec.getArgv());
        List<String> changes = new ArrayList<>();
        List<String> atMin = new ArrayList<>();
        for (ArgValue v : found) {
            int old = Integer.parseInt(v.value());
            if (old <= min) {
                atMin.add(v.describe() + " " + old);
                continue;
            }
            int next = next(old, factor, min);
            argv.set(v.index(), v.replaced(Integer.toString(next)));
            changes.add(v.describe() + ": " + old + " -> " + next);
        }
        Map<String, String> env = new LinkedHashMap<>(spec.getEnv());
        for (Map.Entry<String, String> e : envFound.entrySet()) {
            int old = Integer.parseInt(e.getValue());
            if (old <= min) {
                atMin.add("env " + e.getKey() + "=" + old);
                continue;
            }
            int next = next(old, factor, min);
            env.put(e.getKey(), Integer.toString(next));
            changes.add("env " + e.getKey() + ": " + old + " -> " + next);
        }
        if (changes.isEmpty()) {
            return FixPlan.cannot("the data-loader workers are already at their minimum of " + min + " ("
                    + String.join(", ", atMin) + ")");
        }
        return FixPlan.change(spec.withArgv(argv).withEnv(env), changes);
    }

    private static int next(int old, double factor, int min) {
        return (int) Math.max(min, Math.min(old - 1L, (long) Math.floor(old * factor)));
    }

    private static List<String> sorted(Set<String> c) {
        List<String> l = new ArrayList<>(c);
        l.sort(null);
        return l;
    }
}
