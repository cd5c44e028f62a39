package dev.medic.fix;

import dev.medic.catalog.ExcludeGpuSettings;
import dev.medic.facts.Evidence;
import dev.medic.facts.Failure;
import dev.medic.facts.RunSpec;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the next attempt without the GPU the failure's evidence names ({@code GPU 3},
 * {@code cuda:3}, {@code device 3}): that entry is removed from {@code CUDA_VISIBLE_DEVICES}
 * (the index counts within the visible list, as the framework does), and process counts the
 * command gives ({@code process_flags}/{@code process_keys}, e.g. torchrun's
 * {@code --nproc_per_node}) are lowered to the GPUs left. It cannot apply when the evidence names
 * no GPU or only a PCI bus id, when the visible list is unknown, when one GPU would be left with
 * none, or when the launcher picks GPUs itself ({@code ignores_visible_devices}).
 */
public final class ExcludeGpu implements FixExecutor {
    /** After an index: not more digits, a decimal, or the rest of a PCI bus id ({@code 0000:3B:00.0}). */
    private static final String NOT_A_BUS_ID = "(?![0-9]|\\.[0-9]|:[0-9a-fA-F]{2}[:.])";
    /** {@code GPU 3}, {@code GPU3}, {@code GPU #3}; not a PCI bus id ({@code GPU 0000:3B:00.0}). */
    private static final Pattern GPU_INDEX = Pattern.compile("(?i)\\bGPU\\s*#?([0-9]{1,3})" + NOT_A_BUS_ID);
    private static final Pattern CUDA_INDEX = Pattern.compile("\\bcuda:([0-9]{1,3})\\b");
    private static final Pattern DEVICE_INDEX = Pattern.compile("(?i)\\bdevice\\s+#?([0-9]{1,3})" + NOT_A_BUS_ID);
    private static final Pattern PCI_BUS_ID = Pattern.compile(
            "(?i)\\b(?:PCI:)?[0-9a-f]{4,8}:[0-9a-f]{2}:[0-9a-f]{2}(?:\\.[0-7])?\\b");
    private static final Pattern ANY_VALUE = Pattern.compile("[^-].*|-[0-9].*");
    private static final Pattern COUNT = Pattern.compile("[1-9][0-9]{0,3}");

    @Override
    public boolean spendsAttemptBudget() {
        return false;
    }

    @Override
    public String id() {
        return "exclude_gpu";
    }

    @Override
    public FixPlan plan(RunSpec spec, FixContext context) {
        ExcludeGpuSettings s = ExcludeGpuSettings.of(context.settings());
        List<String> texts = new ArrayList<>();
        Failure f = context.failure();
        if (f != null) {
            for (Evidence e : f.getEvidence()) {
                texts.add(e.text());
            }
        }
        Set<Integer> indices = new TreeSet<>();
        Set<String> busIds = new TreeSet<>();
        for (String t : texts) {
            for (Pattern p : List.of(GPU_INDEX, CUDA_INDEX, DEVICE_INDEX)) {
                Matcher m = p.matcher(t);
                while (m.find()) {
                    indices.add(Integer.parseInt(m.group(1)));
                }
            }
            Matcher m = PCI_BUS_ID.matcher(t);
            while (m.find()) {
                busIds.add(m.group());
            }
        }
        if (indices.isEmpty()) {
            if (!busIds.isEmpty()) {
                return FixPlan.cannot("the evidence names the GPU only by its PCI bus id (" + String.join(", ", busIds)
                        + "); mapping a bus id to a CUDA index needs nvidia-smi, which a fix does not run");
            }
            return FixPlan.cannot("the failure's evidence does not name a GPU (no 'GPU N', 'cuda:N' or 'device N')");
        }
        if (indices.size() > 1) {
            return FixPlan.cannot("the evidence names more than one GPU (" + indices + "); not guessing which one failed");
        }
        int bad = indices.iterator().next();

        String program = CpuFallback.basename(spec.getArgv().get(0));
        List<String> overriding = s.ignoresVisibleDevices().get(program);
        if (overriding != null) {
            for (String a : spec.getArgv()) {
                int eq = a.indexOf('=');
                String name = eq < 0 ? a : a.substring(0, eq);
                if (overriding.contains(name)) {
                    return FixPlan.cannot("'" + program + "' picks its GPUs itself when given " + name
                            + ", so " + CpuFallback.VISIBLE + " would not exclude one; not rewriting its GPU list");
                }
            }
        }

        String visible = spec.getEnv().get(CpuFallback.VISIBLE);
        List<String> devices = new ArrayList<>();
        if (visible == null) {
            int count = s.gpuCount();
            if (count <= 0) {
                return FixPlan.cannot(CpuFallback.VISIBLE + " is not set, so the GPU list is unknown");
            }
            for (int i = 0; i < count; i++) {
                devices.add(Integer.toString(i));
            }
        } else {
            for (String d : visible.split(",")) {
                if (!d.isBlank()) {
                    devices.add(d.strip());
                }
            }
        }
        if (bad >= devices.size()) {
            return FixPlan.cannot("GPU " + bad + " is not among the " + devices.size() + " visible GPUs ("
                    + CpuFallback.VISIBLE + "=" + (visible == null ? "" : visible) + ")");
        }
        if (devices.size() == 1) {
            return FixPlan.cannot("GPU " + bad + " is the only visible GPU; excluding it would leave none");
        }
        String removed = devices.remove(bad);
        int left = devices.size();

        List<String> argv = new ArrayList<>(spec.getArgv());
        List<String> changes = new ArrayList<>();
        Set<String> allValues = new HashSet<>();
        for (String v : s.allDevicesValues()) {
            allValues.add(v.toLowerCase(Locale.ROOT));
        }
        for (ArgValue v : ArgValue.find(spec.getArgv(), new HashSet<>(s.processFlags()),
                new HashSet<>(s.processKeys()), ANY_VALUE)) {
            if (COUNT.matcher(v.value()).matches()) {
                if (Integer.parseInt(v.value()) > left) {
                    argv.set(v.index(), v.replaced(Integer.toString(left)));
                    changes.add(v.describe() + ": " + v.value() + " -> " + left + " (GPUs left)");
                }
            } else if (!allValues.contains(v.value().toLowerCase(Locale.ROOT))) {
                return FixPlan.cannot(v.describe() + " is '" + v.value() + "', which names GPUs itself; not rewriting it");
            }
        }
        Map<String, String> env = new LinkedHashMap<>(spec.getEnv());
        String next = String.join(",", devices);
        env.put(CpuFallback.VISIBLE, next);
        changes.add(0, "env " + CpuFallback.VISIBLE + ": " + CpuFallback.shown(visible) + " -> " + CpuFallback.shown(next)
                + " (without GPU " + bad + (removed.equals(Integer.toString(bad)) ? "" : ", device " + removed) + ")");
        return FixPlan.change(spec.withArgv(argv).withEnv(env), changes);
    }
}
