package dev.medic.compute;

import dev.medic.facts.Context;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Gives the rules what a person would check first: free space where the run writes, and whether
 * the attempt can see a GPU ({@code CUDA_VISIBLE_DEVICES}, else {@code nvidia-smi -L}). The GPU
 * count is looked up once and kept; disk space is read at every attempt's end.
 */
public final class ContextProbe {
    private static final long NVIDIA_SMI_TIMEOUT_SECONDS = 10;
    private CompletableFuture<Integer> systemGpus;

    public Context probe(Path dir, Map<String, String> env) {
        long free = -1;
        long total = -1;
        try {
            FileStore store = Files.getFileStore(dir);
            free = store.getUsableSpace();
            total = store.getTotalSpace();
        } catch (IOException | RuntimeException e) {
            // unknown: the rules decide from the text alone
        }
        return new Context(free, total, visibleGpus(env));
    }

    /** GPUs the child can use: CUDA_VISIBLE_DEVICES narrows what nvidia-smi lists. */
    int visibleGpus(Map<String, String> env) {
        String visible = env.get("CUDA_VISIBLE_DEVICES");
        int system = systemGpus(env);
        if (visible != null) {
            String v = visible.strip();
            if (v.isEmpty() || v.startsWith("-1") || v.equalsIgnoreCase("NoDevFiles")) {
                return 0;
            }
            int listed = v.split(",").length;
            return system < 0 ? listed : Math.min(listed, system);
        }
        return system;
    }

    /**
     * Starts counting the GPUs on a thread of its own (nvidia-smi can take a second), so that the
     * first attempt's end need not wait for all of it. Later probes use this count.
     */
    public synchronized void prefetch(Map<String, String> env) {
        if (systemGpus == null) {
            systemGpus = dev.medic.util.Background.supply("medic-gpu-probe", () -> countNvidiaSmi(env));
        }
    }

    private int systemGpus(Map<String, String> env) {
        CompletableFuture<Integer> count;
        synchronized (this) {
            if (systemGpus == null) {
                systemGpus = CompletableFuture.completedFuture(countNvidiaSmi(env));
            }
            count = systemGpus;
        }
        return count.join();
    }

    /** GPUs nvidia-smi lists; 0 when it is missing or fails, as then no GPU is usable. */
    static int countNvidiaSmi(Map<String, String> env) {
        return GpuInventory.probe(env, java.time.Duration.ofSeconds(NVIDIA_SMI_TIMEOUT_SECONDS)).gpus().size();
    }
}
