package dev.medic.fix;

import dev.medic.catalog.ReduceBatchSizeSettings;
import dev.medic.facts.RunSpec;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Lowers the batch size wherever the command gives it (flags, overrides, environment variables,
 * spellings from the catalog) and, where the command sets gradient accumulation, raises that by
 * the same ratio so the effective batch stays the same. It never appends a guessed flag: a
 * command with no batch size it recognises is reported, and the ladder moves on.
 */
public final class ReduceBatchSize implements FixExecutor {
    private static final Pattern POSITIVE = Pattern.compile("[1-9][0-9]{0,9}");

    @Override
    public String id() {
        return "reduce_batch_size";
    }

    @Override
    public FixPlan plan(RunSpec spec, FixContext context) {
        ReduceBatchSizeSettings s = ReduceBatchSizeSettings.of(context.settings());
        double factor = s.factor();
        int min = s.min();
        Set<String> flags = new HashSet<>(s.flags());
        Set<String> keys = new HashSet<>(s.keys());
        Set<String> envNames = new HashSet<>(s.env());
        // `env BATCH_SIZE=8 python train.py`: an environment assignment in argv is an override too
        keys.addAll(envNames);

        List<ArgValue> batch = ArgValue.find(spec.getArgv(), flags, keys, POSITIVE);
        Map<String, String> batchEnv = envValues(spec, envNames);
        if (batch.isEmpty() && batchEnv.isEmpty()) {
            FixPlan inFile = ConfigFileBatch.plan(spec, context, factor, min);
            if (inFile != null) {
                return inFile;
            }
            FixPlan discovered = fromDiscovery(spec, context, factor, min);
            if (discovered != null) {
                return discovered;
            }
            return FixPlan.cannot("no batch size found in the command (looked for " + String.join(", ", sorted(flags))
                    + ", overrides ending in " + String.join("/", sorted(s.keys()))
                    + ", the environment variables " + String.join(", ", sorted(envNames))
                    + " and config files named by " + String.join(", ", sorted(s.configFlags())) + "); not guessing a flag"
                    + context.programFlags(spec).whyNotNote());
        }
        Set<String> accFlags = new HashSet<>(s.accumulationFlags());
        Set<String> accKeys = new HashSet<>(s.accumulationKeys());
        Set<String> accEnvNames = new HashSet<>(s.accumulationEnv());
        accKeys.addAll(accEnvNames);
        List<ArgValue> acc = ArgValue.find(spec.getArgv(), accFlags, accKeys, POSITIVE);
        Map<String, String> accEnv = envValues(spec, accEnvNames);
        boolean keepEffective = !acc.isEmpty() || !accEnv.isEmpty();

        long primary = !batch.isEmpty() ? Long.parseLong(batch.get(0).value()) : Long.parseLong(batchEnv.values().iterator().next());
        long next = keepEffective ? largestDivisorAtMost(primary, (long) Math.floor(primary * factor), min)
                : Math.max(min, (long) Math.floor(primary * factor));
        if (next < min || next >= primary) {
            return FixPlan.cannot("the batch size is already at its minimum (" + primary + ", min " + min + ")");
        }
        long ratio = keepEffective ? primary / next : 0;

        List<String> argv = new ArrayList<>(spec.getArgv());
        List<String> changes = new ArrayList<>();
        for (ArgValue v : batch) {
            long old = Long.parseLong(v.value());
            long nv = keepEffective ? Math.max(min, old / ratio) : Math.max(min, (long) Math.floor(old * factor));
            argv.set(v.index(), v.replaced(Long.toString(nv)));
            changes.add(v.describe() + ": " + old + " -> " + nv);
        }
        Map<String, String> env = new LinkedHashMap<>(spec.getEnv());
        for (Map.Entry<String, String> e : batchEnv.entrySet()) {
            long old = Long.parseLong(e.getValue());
            long nv = keepEffective ? Math.max(min, old / ratio) : Math.max(min, (long) Math.floor(old * factor));
            env.put(e.getKey(), Long.toString(nv));
            changes.add("env " + e.getKey() + ": " + old + " -> " + nv);
        }
        if (keepEffective) {
            try {
                for (ArgValue v : acc) {
                    long old = Long.parseLong(v.value());
                    long nv = Math.multiplyExact(old, ratio);
                    argv.set(v.index(), v.replaced(Long.toString(nv)));
                    changes.add(v.describe() + ": " + old + " -> " + nv + " (effective batch unchanged)");
                }
                for (Map.Entry<String, String> e : accEnv.entrySet()) {
                    long old = Long.parseLong(e.getValue());
                    long nv = Math.multiplyExact(old, ratio);
                    env.put(e.getKey(), Long.toString(nv));
                    changes.add("env " + e.getKey() + ": " + old + " -> " + nv + " (effective batch unchanged)");
                }
            } catch (ArithmeticException e) {
                return FixPlan.cannot("the gradient accumulation would overflow; not rewriting it");
            }
        }
        return FixPlan.change(spec.withArgv(argv).withEnv(env), changes);
    }

    /**
     * The command gives no batch size, but the program was learnt to accept a batch flag with a
     * default: the flag is added at default x factor, and an accumulation flag it accepts at its
     * default x the same ratio, so the effective batch stays. Null when nothing was learnt that fits.
     */
    private static FixPlan fromDiscovery(RunSpec spec, FixContext context, double factor, int min) {
        ReduceBatchSizeSettings s = ReduceBatchSizeSettings.of(context.settings());
        var program = context.programFlags(spec);
        DiscoveredFlag batch = DiscoveredFlag.find(program, s.flags(), s.keys(), POSITIVE);
        if (batch == null) {
            return null;
        }
        DiscoveredFlag acc = DiscoveredFlag.find(program, s.accumulationFlags(), s.accumulationKeys(), POSITIVE);
        long old = Long.parseLong(batch.value());
        long next = acc != null ? largestDivisorAtMost(old, (long) Math.floor(old * factor), min)
                : Math.max(min, (long) Math.floor(old * factor));
        if (next < min || next >= old) {
            return FixPlan.cannot("the program's default batch size is already at the minimum (" + batch.flag() + " " + old
                    + ", min " + min + ")");
        }
        List<String> argv = new ArrayList<>(spec.getArgv());
        List<String> changes = new ArrayList<>();
        changes.add("argv[" + argv.size() + "] " + batch.added(Long.toString(next), null));
        argv.addAll(batch.args(Long.toString(next)));
        if (acc != null) {
            long accNext;
            try {
                accNext = Math.multiplyExact(Long.parseLong(acc.value()), old / next);
            } catch (ArithmeticException e) {
                return FixPlan.cannot("the gradient accumulation would overflow; not adding it");
            }
            changes.add("argv[" + argv.size() + "] " + acc.added(Long.toString(accNext), "effective batch unchanged"));
            argv.addAll(acc.args(Long.toString(accNext)));
        }
        return FixPlan.change(spec.withArgv(argv), changes);
    }

    /** Largest divisor of {@code n} that is at most {@code limit} and at least {@code min}; 0 if none. */
    static long largestDivisorAtMost(long n, long limit, long min) {
        long best = 0;
        // divisors come in pairs (i, n / i): walking i up to the square root sees them all
        for (long i = 1; i * i <= n; i++) {
            if (n % i == 0) {
                for (long d : new long[] {i, n / i}) {
                    if (d <= limit && d >= min && d < n && d > best) {
                        best = d;
                    }
                }
            }
        }
        return best;
    }

    private static Map<String, String> envValues(RunSpec spec, Set<String> names) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String n : sorted(names)) {
            String v = spec.getEnv().get(n);
            if (v != null && POSITIVE.matcher(v.strip()).matches()) {
                out.put(n, v.strip());
            }
        }
        return out;
    }

    private static List<String> sorted(java.util.Collection<String> c) {
        List<String> l = new ArrayList<>(c);
        l.sort(null);
        return l;
    }
}
