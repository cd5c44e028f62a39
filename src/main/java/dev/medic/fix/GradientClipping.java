package dev.medic.fix;

import dev.medic.catalog.GradientClippingSettings;
import dev.medic.discover.ProgramFlags;
import dev.medic.facts.RunSpec;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Tightens gradient clipping: every clipping value the command gives (flags, Hydra overrides,
 * Lightning CLI keys) is multiplied by {@code factor}; a value that turns clipping off (0, a
 * negative, {@code None}) is set to {@code default_value}. When the command gives none, a flag is
 * added only if {@code add_when_missing} is on and the command's style says which flag its
 * program accepts: HF TrainingArguments ({@code default_flag}), Lightning CLI
 * ({@code lightning_flag}) or Hydra ({@code hydra_override}). Otherwise it reports that it cannot.
 */
public final class GradientClipping implements FixExecutor {
    /** A value: anything that does not look like the next flag (a negative number is a value). */
    private static final Pattern ANY_VALUE = Pattern.compile("[^-].*|-[0-9.].*");
    /** A Hydra override: a lower-case dotted key (environment assignments are upper case). */
    private static final Pattern HYDRA_OVERRIDE = Pattern.compile("(\\+\\+|\\+)?[a-z_][A-Za-z0-9_\\-]*(\\.[A-Za-z0-9_\\-]+)*=.*");

    @Override
    public String id() {
        return "gradient_clipping";
    }

    @Override
    public FixPlan plan(RunSpec spec, FixContext context) {
        GradientClippingSettings s = GradientClippingSettings.of(context.settings());
        double factor = s.factor();
        double min = s.min();
        String defaultValue = s.defaultValue();
        Set<String> flags = new HashSet<>(s.flags());
        Set<String> keys = new HashSet<>(s.keys());
        Set<String> disabled = new HashSet<>();
        for (String d : s.disabledValues()) {
            disabled.add(d.toLowerCase(Locale.ROOT));
        }

        List<String> argv = new ArrayList<>(spec.getArgv());
        List<ArgValue> found = ArgValue.find(spec.getArgv(), flags, keys, ANY_VALUE);
        if (!found.isEmpty()) {
            List<String> changes = new ArrayList<>();
            for (ArgValue v : found) {
                String value = v.value();
                if (Decimals.SHAPE.matcher(value).matches() && Decimals.parse(value).signum() > 0) {
                    BigDecimal next = Decimals.scale(Decimals.parse(value), factor);
                    if (next.compareTo(BigDecimal.valueOf(min)) < 0) {
                        return FixPlan.cannot("the clipping norm is already at its minimum (" + v.describe() + " " + value
                                + ", min " + plain(min) + ")");
                    }
                    String text = Decimals.format(next, value);
                    argv.set(v.index(), v.replaced(text));
                    changes.add(v.describe() + ": " + value + " -> " + text);
                } else if (Decimals.SHAPE.matcher(value).matches() || disabled.contains(value.toLowerCase(Locale.ROOT))) {
                    argv.set(v.index(), v.replaced(defaultValue));
                    changes.add(v.describe() + ": " + value + " -> " + defaultValue + " (clipping was off)");
                } else {
                    return FixPlan.cannot(v.describe() + " is '" + value + "', not a number; not changing it");
                }
            }
            return FixPlan.change(spec.withArgv(argv), changes);
        }

        if (!s.addWhenMissing()) {
            return FixPlan.cannot("no clipping flag found in the command (looked for " + String.join(", ", sorted(flags))
                    + " and overrides ending in " + String.join("/", sorted(keys))
                    + "); add_when_missing is off, so none is added");
        }
        ProgramFlags program = context.programFlags(spec);
        if (program.discovered()) {
            FixPlan learnt = fromDiscovery(spec, program, s, factor, min, defaultValue);
            // a conclusive reading that shows no clipping flag: the style guesses below could add one it refuses
            if (learnt != null || program.why() == null) {
                return learnt != null ? learnt : FixPlan.cannot("no clipping flag found in the command, and the program's "
                        + program.method() + " shows none it accepts (looked for " + String.join(", ", s.flags())
                        + ", " + s.lightningFlag() + " and Hydra keys ending in "
                        + String.join("/", sorted(keys)) + "); not adding one");
            }
        }
        List<String> added;
        String why;
        String hf = firstNamed(argv, new HashSet<>(s.hfMarkers()));
        String lightning = hf != null ? null : lightningMarker(argv, s);
        String hydra = hf != null || lightning != null ? null : hydraMarker(argv, s);
        if (hf != null) {
            added = List.of(s.defaultFlag(), defaultValue);
            why = "HF TrainingArguments style, as " + hf + " shows";
        } else if (lightning != null) {
            added = List.of(s.lightningFlag(), defaultValue);
            why = "Lightning CLI style, as " + lightning + " shows";
        } else if (hydra != null) {
            added = List.of(s.hydraOverride() + "=" + defaultValue);
            why = "Hydra style, as the override " + hydra + " shows";
        } else {
            return FixPlan.cannot("no clipping flag found and the command's style is unknown; not guessing" + program.whyNotNote());
        }
        int at = argv.size();
        argv.addAll(added);
        return FixPlan.change(spec.withArgv(argv), List.of("argv[" + at + "] added " + String.join(" ", added)
                + " (no clipping flag was given; " + why + ")"));
    }

    /**
     * The clipping flag the program was learnt to accept (the catalog's spellings, then the
     * Lightning flag, then a Hydra key), added with the program's default x factor when that
     * default is a positive number (clipping on already: tighten it), else with default_value.
     * Null when the program accepts none of them.
     */
    private static FixPlan fromDiscovery(RunSpec spec, ProgramFlags program, GradientClippingSettings s, double factor, double min,
                                         String defaultValue) {
        List<String> names = new ArrayList<>(s.flags());
        names.add(s.lightningFlag());
        String flag = program.firstAccepted(names);
        String declared = flag == null || program.flag(flag) == null ? null : program.flag(flag).defaultValue();
        String from = flag == null ? null : program.learntFrom(flag);
        List<String> added;
        if (flag != null) {
            added = List.of(flag, valueFor(declared, factor, min, defaultValue));
        } else if (program.hydra()) {
            String key = s.hydraOverride().replaceFirst("^\\+*", "");
            Set<String> keys = new HashSet<>(s.keys());
            for (var e : program.hydraKeys().entrySet()) {
                if (keys.contains(e.getKey().substring(e.getKey().lastIndexOf('.') + 1))) {
                    key = e.getKey();
                    declared = e.getValue();
                    break;
                }
            }
            added = List.of("++" + key + "=" + valueFor(declared, factor, min, defaultValue));
            from = declared == null ? "its @hydra.main source" : "its Hydra config";
        } else {
            return null;
        }
        List<String> argv = new ArrayList<>(spec.getArgv());
        int at = argv.size();
        argv.addAll(added);
        return FixPlan.change(spec.withArgv(argv), List.of("argv[" + at + "] " + String.join(" ", added)
                + " added (no clipping flag was given; the program's default is " + (declared == null ? "unknown" : declared)
                + ", learnt from " + from + ")"));
    }

    /** A positive numeric default tightened by factor (not below min), else default_value. */
    private static String valueFor(String declared, double factor, double min, String defaultValue) {
        if (declared != null && Decimals.SHAPE.matcher(declared).matches() && Decimals.parse(declared).signum() > 0) {
            BigDecimal next = Decimals.scale(Decimals.parse(declared), factor);
            if (next.compareTo(BigDecimal.valueOf(min)) >= 0) {
                return Decimals.format(next, declared);
            }
        }
        return defaultValue;
    }

    /** The first argument whose name (before any '=') is one of {@code names}. */
    private static String firstNamed(List<String> argv, Set<String> names) {
        for (String a : argv) {
            int eq = a.indexOf('=');
            String name = eq < 0 ? a : a.substring(0, eq);
            if (names.contains(name)) {
                return name;
            }
        }
        return null;
    }

    private static String lightningMarker(List<String> argv, GradientClippingSettings s) {
        Set<String> subcommands = new HashSet<>(s.lightningSubcommands());
        List<String> prefixes = s.lightningMarkers();
        for (int i = 1; i < argv.size(); i++) {
            String a = argv.get(i);
            if (subcommands.contains(a) && !argv.get(i - 1).startsWith("-")) {
                return "the subcommand '" + a + "'";
            }
            for (String p : prefixes) {
                if (a.startsWith(p)) {
                    int eq = a.indexOf('=');
                    return eq < 0 ? a : a.substring(0, eq);
                }
            }
        }
        return null;
    }

    private static String hydraMarker(List<String> argv, GradientClippingSettings s) {
        Set<String> notPrograms = new HashSet<>(s.notHydraPrograms());
        Set<String> notFlags = new HashSet<>(s.notHydraFlags());
        for (String a : argv) {
            int slash = a.lastIndexOf('/');
            if (notPrograms.contains(slash < 0 ? a : a.substring(slash + 1)) || notFlags.contains(a)) {
                return null;
            }
        }
        for (int i = 1; i < argv.size(); i++) {
            if (HYDRA_OVERRIDE.matcher(argv.get(i)).matches()) {
                return argv.get(i);
            }
        }
        return null;
    }

    static String plain(double d) {
        return BigDecimal.valueOf(d).stripTrailingZeros().toString();
    }

    private static List<String> sorted(Set<String> c) {
        List<String> l = new ArrayList<>(c);
        l.sort(null);
        return l;
    }
}
