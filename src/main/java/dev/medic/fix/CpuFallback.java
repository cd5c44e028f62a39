package dev.medic.fix;

import dev.medic.catalog.CpuFallbackSettings;
import dev.medic.facts.RunSpec;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Runs the next attempt on the CPU: its environment hides every GPU ({@code CUDA_VISIBLE_DEVICES}
 * empty) and gets the catalog's {@code env}; the values of the listed device flags/keys that name a
 * GPU ({@code cuda...}, {@code gpu}) become {@code cpu_value}; flags listed in {@code remove_flags}
 * (fp16 mixed precision, which needs a GPU) are dropped. Nothing else is touched.
 */
public final class CpuFallback implements FixExecutor {
    /** fp16 precision in the spellings Lightning, accelerate and others use (bf16 runs on CPUs and stays). */
    private static final java.util.regex.Pattern FP16_VALUE = java.util.regex.Pattern.compile("(?i)(fp)?16(-mixed|-true)?|half");

    static final String VISIBLE = "CUDA_VISIBLE_DEVICES";
    /** A value that names a GPU: cuda, cuda:0, gpu (any case). */
    private static final Pattern GPU_VALUE = Pattern.compile("(?i)cuda.*|gpu");
    private static final Set<String> BOOLEAN_WORDS = Set.of("true", "false", "yes", "no", "1", "0", "on", "off");

    @Override
    public String id() {
        return "cpu_fallback";
    }

    @Override
    public FixPlan plan(RunSpec spec, FixContext context) {
        CpuFallbackSettings s = CpuFallbackSettings.of(context.settings());
        String program = basename(spec.getArgv().get(0));
        if (s.gpuOnlyPrograms().contains(program)) {
            return FixPlan.cannot("'" + program + "' only runs on GPUs; it cannot fall back to the CPU");
        }
        String cpu = s.cpuValue();
        Map<String, String> vars = new LinkedHashMap<>();
        vars.put(VISIBLE, "");
        vars.putAll(s.env());

        List<String> argv = new ArrayList<>(spec.getArgv());
        List<String> changes = new ArrayList<>();
        for (ArgValue v : ArgValue.find(spec.getArgv(), new HashSet<>(s.deviceFlags()),
                new HashSet<>(s.deviceKeys()), GPU_VALUE)) {
            argv.set(v.index(), v.replaced(cpu));
            changes.add(v.describe() + ": " + v.value() + " -> " + cpu);
        }
        Map<String, String> cpuPrecision = s.cpuPrecision();
        for (ArgValue v : ArgValue.find(argv, new HashSet<>(s.precisionFlags()),
                new HashSet<>(s.precisionKeys()), FP16_VALUE)) {
            String key = v.name().replaceFirst("^(\\+\\+|\\+)", "");
            String to = cpuPrecision.getOrDefault(key, cpuPrecision.getOrDefault(key.substring(key.lastIndexOf('.') + 1),
                    cpuPrecision.getOrDefault("default", "32")));
            argv.set(v.index(), v.replaced(to));
            changes.add(v.describe() + ": " + v.value() + " -> " + to + " (fp16 needs a GPU)");
        }
        Set<String> remove = new HashSet<>(s.removeFlags());
        if (!remove.isEmpty()) {
            List<String> kept = new ArrayList<>();
            for (int i = 0; i < argv.size(); i++) {
                String a = argv.get(i);
                int eq = a.indexOf('=');
                String name = eq < 0 ? a : a.substring(0, eq);
                if (!remove.contains(name)) {
                    kept.add(a);
                    continue;
                }
                String removed = a;
                // HF boolean flags also take a value: --fp16 True
                if (eq < 0 && i + 1 < argv.size() && BOOLEAN_WORDS.contains(argv.get(i + 1).toLowerCase(Locale.ROOT))) {
                    removed += " " + argv.get(++i);
                }
                changes.add("removed " + removed + " (it needs a GPU)");
            }
            argv = kept;
        }
        Map<String, String> env = new LinkedHashMap<>(spec.getEnv());
        for (Map.Entry<String, String> e : vars.entrySet()) {
            String old = spec.getEnv().get(e.getKey());
            if (!Objects.equals(old, e.getValue())) {
                env.put(e.getKey(), e.getValue());
                changes.add("env " + e.getKey() + ": " + shown(old) + " -> " + shown(e.getValue()));
            }
        }
        if (changes.isEmpty()) {
            return FixPlan.cannot("the command already runs on the CPU (" + VISIBLE + " is empty"
                    + (vars.size() > 1 ? ", " + String.join(", ", vars.keySet().stream().skip(1).toList()) + " already set" : "")
                    + ") and no device flag names a GPU");
        }
        return FixPlan.change(spec.withArgv(argv).withEnv(env), changes);
    }

    static String shown(String v) {
        return v == null ? "(unset)" : "'" + v + "'";
    }

    static String basename(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? path : path.substring(slash + 1);
    }
}
