package dev.medic.fix;

import dev.medic.facts.Evidence;
import dev.medic.facts.RunSpec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns on PyTorch's expandable segments ({@code PYTORCH_CUDA_ALLOC_CONF=expandable_segments:True})
 * only where they can help: they let the caching allocator use memory it reserved but split into
 * pieces. So the allocation that failed must fit into what was free plus what was reserved but
 * unallocated, as the OOM message reports them; a larger one fails again and spends an attempt
 * (on the H200, 64 GiB wanted with 8.9 GiB free and 8 GiB reserved). A message without those
 * numbers (another framework, an unknown wording) is not a reason to try.
 */
public final class ExpandableSegments implements FixExecutor {
    static final String VAR = "PYTORCH_CUDA_ALLOC_CONF";
    private static final String SETTING = "expandable_segments:True";
    private static final String SIZE = "([\\d.]+) ?([KMGT]i?B|bytes)";
    private static final Pattern TRIED = Pattern.compile("Tried to allocate " + SIZE);
    // torch >= 2.0: "... of which 8.89 GiB is free ... and 7.98 GiB is reserved by PyTorch but unallocated"
    private static final Pattern FREE = Pattern.compile("of which " + SIZE + " is free");
    private static final Pattern UNALLOCATED = Pattern.compile(SIZE + " is reserved by PyTorch but unallocated");
    // torch < 2.0: "(GPU 0; 7.79 GiB total capacity; 6.68 GiB already allocated; 17.00 MiB free; 6.71 GiB reserved in total by PyTorch)"
    private static final Pattern OLD_ALLOCATED = Pattern.compile(SIZE + " already allocated");
    private static final Pattern OLD_FREE = Pattern.compile(SIZE + " free;");
    private static final Pattern OLD_RESERVED = Pattern.compile(SIZE + " reserved in total by PyTorch");

    @Override
    public String id() {
        return "expandable_segments";
    }

    /** It reads the OOM message and the environment, not the command: a replay plans it without one. */
    @Override
    public boolean needsCommand() {
        return false;
    }

    @Override
    public FixPlan plan(RunSpec spec, FixContext context) {
        String old = spec.getEnv().get(VAR);
        if (old != null && old.contains("expandable_segments:True")) {
            return FixPlan.cannot(VAR + " already has " + SETTING);
        }
        Memory m = context.failure() == null ? null : memory(context.failure().getEvidence());
        if (m == null) {
            return FixPlan.cannot("the out-of-memory message does not say how much memory was free and reserved but "
                    + "unallocated (PyTorch's allocator says so); expandable segments only help a fragmented cache");
        }
        if (m.tried() > m.free() + m.unallocated()) {
            return FixPlan.cannot("cannot help: the allocation of " + bytes(m.tried()) + " is larger than the "
                    + bytes(m.free()) + " free and " + bytes(m.unallocated()) + " reserved but unallocated together");
        }
        String value = old == null || old.isBlank() ? SETTING : old + "," + SETTING;
        Map<String, String> env = new LinkedHashMap<>(spec.getEnv());
        env.put(VAR, value);
        return FixPlan.change(spec.withEnv(env), List.of("env " + VAR + ": " + CpuFallback.shown(old) + " -> "
                + CpuFallback.shown(value) + " (" + bytes(m.tried()) + " wanted; " + bytes(m.free()) + " free and "
                + bytes(m.unallocated()) + " reserved but unallocated)"));
    }

    /** What the allocator said, in bytes. */
    record Memory(double tried, double free, double unallocated) {
    }

    /** The numbers of the last PyTorch allocator message among the evidence, or null. */
    static Memory memory(List<Evidence> evidence) {
        Memory found = null;
        for (Evidence e : evidence) {
            Memory m = memory(e.text());
            if (m != null) {
                found = m;
            }
        }
        return found;
    }

    static Memory memory(String line) {
        Double tried = size(TRIED, line);
        if (tried == null) {
            return null;
        }
        Double free = size(FREE, line);
        Double unallocated = size(UNALLOCATED, line);
        if (free != null && unallocated != null) {
            return new Memory(tried, free, unallocated);
        }
        Double allocated = size(OLD_ALLOCATED, line);
        Double oldFree = size(OLD_FREE, line);
        Double reserved = size(OLD_RESERVED, line);
        if (allocated != null && oldFree != null && reserved != null) {
            return new Memory(tried, oldFree, Math.max(0, reserved - allocated));
        }
        return null;
    }

    private static Double size(Pattern p, String line) {
        Matcher m = p.matcher(line);
        if (!m.find()) {
            return null;
        }
        double n = Double.parseDouble(m.group(1));
        return n * switch (m.group(2)) {
            case "KiB", "KB" -> 1024.0;
            case "MiB", "MB" -> 1024.0 * 1024;
            case "GiB", "GB" -> 1024.0 * 1024 * 1024;
            case "TiB", "TB" -> 1024.0 * 1024 * 1024 * 1024;
            default -> 1.0;
        };
    }

    private static String bytes(double b) {
        return b >= 1L << 30 ? String.format(java.util.Locale.ROOT, "%.2f GiB", b / (1L << 30))
                : String.format(java.util.Locale.ROOT, "%.2f MiB", b / (1L << 20));
    }
}
