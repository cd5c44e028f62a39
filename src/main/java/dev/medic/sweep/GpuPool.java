package dev.medic.sweep;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Hands GPUs to trials: each trial takes {@code perTrial} distinct GPUs, no GPU holds more than
 * {@code perGpu} trials at once, and the least-loaded GPUs go first so every GPU gets used.
 */
public final class GpuPool {
    private final Map<String, Integer> load = new LinkedHashMap<>();
    private final int perTrial;
    private final int perGpu;
    private int highWater;
    private final java.util.Set<String> retired = new java.util.HashSet<>();

    public GpuPool(List<String> gpus, int perTrial, int perGpu) {
        if (perTrial < 1 || perGpu < 1) {
            throw new IllegalArgumentException("--gpus-per-trial and --per-gpu must be at least 1");
        }
        if (perTrial > gpus.size()) {
            throw new IllegalArgumentException("each trial wants " + perTrial + " GPUs but the pool has " + gpus.size());
        }
        gpus.forEach(g -> load.put(g, 0));
        this.perTrial = perTrial;
        this.perGpu = perGpu;
    }

    /** Waits for free GPUs; interrupted while waiting, it gives none. */
    public synchronized List<String> acquire() throws InterruptedException {
        while (true) {
            List<String> free = new ArrayList<>();
            load.entrySet().stream().filter(e -> e.getValue() < perGpu)
                    .sorted(Map.Entry.comparingByValue())
                    .limit(perTrial)
                    .forEach(e -> free.add(e.getKey()));
            if (free.size() == perTrial) {
                free.forEach(g -> load.merge(g, 1, Integer::sum));
                highWater = Math.max(highWater, load.entrySet().stream().filter(e -> !retired.contains(e.getKey()))
                        .mapToInt(Map.Entry::getValue).max().orElse(0));
                return free;
            }
            wait();
        }
    }

    public synchronized void release(List<String> gpus) {
        gpus.forEach(g -> {
            if (!retired.contains(g)) {
                load.merge(g, -1, Integer::sum);
            }
        });
        notifyAll();
    }

    /** Takes a faulty GPU out of the pool for good (a trial was moved off it). */
    public synchronized void retire(String gpu) {
        if (retired.add(gpu)) {
            load.put(gpu, Integer.MAX_VALUE / 2);
        }
        notifyAll();
    }

    /** The most trials any GPU held at once so far. */
    public synchronized int highWater() {
        return highWater;
    }

    /** How many trials can run at once. */
    public int slots() {
        return load.size() * perGpu / perTrial;
    }
}
