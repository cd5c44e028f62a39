package dev.medic.doctor;

import dev.medic.compute.Gpu;
import dev.medic.compute.GpuInventory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The GPUs nvidia-smi shows. None is a warning (a CPU run needs none) unless the run asks for
 * GPUs ({@code --gpus all}, a count, or device indexes or UUIDs): then it fails, as does asking
 * for more GPUs, or other ones, than are visible.
 */
public final class GpuCheck {
    private GpuCheck() {
    }

    /** @param requested what --gpus says: null or {@code auto} (use what there is), {@code all}, a count, {@code device=0,1} or {@code 0,1} */
    public static Finding check(Map<String, String> env, String requested, Duration timeout) {
        GpuInventory.Result found = GpuInventory.probe(env, timeout);
        List<Gpu> gpus = found.gpus();
        String hidden = env.get("CUDA_VISIBLE_DEVICES");
        boolean asked = requested != null && !requested.equals("auto");
        if (gpus.isEmpty()) {
            String why = found.note().isEmpty() ? "nvidia-smi lists none" : found.note();
            return asked ? Finding.fail("gpus", "none visible (" + why + "), but --gpus " + requested + " asks for them")
                    : Finding.warn("gpus", "none visible (" + why + "); runs get no GPU");
        }
        String visible = gpus.size() + " visible (" + models(gpus) + ")";
        if (asked) {
            String missing = missing(gpus, requested, visible);
            if (missing != null) {
                return Finding.fail("gpus", "--gpus " + requested + ": " + missing);
            }
        }
        if (hidden != null && (hidden.isBlank() || hidden.strip().equals("-1"))) {
            // a local run inherits medic's environment: it would see none of them
            return Finding.warn("gpus", visible + ", but CUDA_VISIBLE_DEVICES='" + hidden + "' hides them from runs");
        }
        return Finding.ok("gpus", visible + (hidden == null ? "" : ", CUDA_VISIBLE_DEVICES=" + hidden));
    }

    /** What --gpus asks for that is not there, or null. */
    private static String missing(List<Gpu> gpus, String requested, String visible) {
        String r = requested.strip();
        if (r.equals("all")) {
            return null;
        }
        if (r.matches("[0-9]+")) {
            int n = Integer.parseInt(r);
            return n > gpus.size() ? "only " + visible : null;
        }
        List<String> absent = new ArrayList<>();
        for (String id : r.replaceFirst("^device=", "").split(",")) {
            String want = id.strip();
            boolean there = gpus.stream().anyMatch(g -> Integer.toString(g.index()).equals(want) || g.uuid().equals(want)
                    || g.mig().stream().anyMatch(m -> m.uuid().equals(want)));
            if (!there) {
                absent.add(want);
            }
        }
        return absent.isEmpty() ? null : "GPU " + String.join(", ", absent) + " not visible; " + visible;
    }

    /** "2x NVIDIA H200", or each model with its count. */
    private static String models(List<Gpu> gpus) {
        Map<String, Integer> byName = new TreeMap<>();
        gpus.forEach(g -> byName.merge(g.name(), 1, Integer::sum));
        List<String> parts = new ArrayList<>();
        byName.forEach((name, n) -> parts.add(n + "x " + name));
        return String.join(", ", parts);
    }
}
