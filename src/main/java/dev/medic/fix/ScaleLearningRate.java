package dev.medic.fix;

import dev.medic.catalog.ScaleLearningRateSettings;
import dev.medic.discover.ProgramFlags;
import dev.medic.facts.RunSpec;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Multiplies every learning rate the command gives (flags, overrides, environment variables) by
 * {@code factor}, printed in the style it was written ({@code 3e-4 -> 1.5e-4}), and stops at
 * {@code min}. With none in the command it adds only a learning-rate flag the program was learnt
 * to accept (flag discovery), at its default x factor.
 */
public final class ScaleLearningRate implements FixExecutor {
    @Override
    public String id() {
        return "scale_learning_rate";
    }

    @Override
    public FixPlan plan(RunSpec spec, FixContext context) {
        ScaleLearningRateSettings s = ScaleLearningRateSettings.of(context.settings());
        double factor = s.factor();
        double min = s.min();
        Set<String> flags = new HashSet<>(s.flags());
        Set<String> keys = new HashSet<>(s.keys());
        Set<String> envNames = new HashSet<>(s.env());
        keys.addAll(envNames);

        List<ArgValue> found = ArgValue.find(spec.getArgv(), flags, keys, Decimals.NON_NEGATIVE);
        Map<String, String> envFound = new LinkedHashMap<>();
        for (String n : sorted(envNames)) {
            String v = spec.getEnv().get(n);
            if (v != null && Decimals.NON_NEGATIVE.matcher(v.strip()).matches()) {
                envFound.put(n, v.strip());
            }
        }
        if (found.isEmpty() && envFound.isEmpty()) {
            ProgramFlags program = context.programFlags(spec);
            DiscoveredFlag lr = DiscoveredFlag.find(program, s.flags(), s.keys(), Decimals.NON_NEGATIVE);
            if (lr != null) {
                // the program's own default, scaled as if the command had given it
                String next = scaled(lr.value(), factor, BigDecimal.valueOf(min));
                if (next == null) {
                    return atMinimum("the program's default " + lr.flag() + " " + lr.value(), min);
                }
                List<String> argv = new ArrayList<>(spec.getArgv());
                String change = "argv[" + argv.size() + "] " + lr.added(next, null);
                argv.addAll(lr.args(next));
                return FixPlan.change(spec.withArgv(argv), List.of(change));
            }
            return FixPlan.cannot("no learning rate found in the command (looked for " + String.join(", ", sorted(flags))
                    + ", overrides ending in " + String.join("/", sorted(new HashSet<>(s.keys())))
                    + (envNames.isEmpty() ? "" : " and the environment variables " + String.join(", ", sorted(envNames)))
                    + "); a learning rate is added only where the program was learnt to accept one" + program.whyNotNote());
        }
        BigDecimal floor = BigDecimal.valueOf(min);
        List<String> argv = new ArrayList<>(spec.getArgv());
        List<String> changes = new ArrayList<>();
        for (ArgValue v : found) {
            String next = scaled(v.value(), factor, floor);
            if (next == null) {
                return atMinimum(v.describe() + " " + v.value(), min);
            }
            argv.set(v.index(), v.replaced(next));
            changes.add(v.describe() + ": " + v.value() + " -> " + next);
        }
        Map<String, String> env = new LinkedHashMap<>(spec.getEnv());
        for (Map.Entry<String, String> e : envFound.entrySet()) {
            String next = scaled(e.getValue(), factor, floor);
            if (next == null) {
                return atMinimum("env " + e.getKey() + "=" + e.getValue(), min);
            }
            env.put(e.getKey(), next);
            changes.add("env " + e.getKey() + ": " + e.getValue() + " -> " + next);
        }
        return FixPlan.change(spec.withArgv(argv).withEnv(env), changes);
    }

    /** The scaled value in the original's style, or null when it would fall below {@code floor}. */
    private static String scaled(String value, double factor, BigDecimal floor) {
        BigDecimal next = Decimals.scale(Decimals.parse(value), factor);
        if (next.signum() <= 0 || next.compareTo(floor) < 0) {
            return null;
        }
        return Decimals.format(next, value);
    }

    private static FixPlan atMinimum(String where, double min) {
        return FixPlan.cannot("the learning rate is already at its minimum (" + where + "; scaled it would go below min "
                + GradientClipping.plain(min) + ")");
    }

    private static List<String> sorted(Set<String> c) {
        List<String> l = new ArrayList<>(c);
        l.sort(null);
        return l;
    }
}
