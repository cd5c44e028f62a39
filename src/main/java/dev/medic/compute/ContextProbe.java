package dev.medic.compute;

import dev.medic.facts.Context;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Gives the rules what a person would check first: free space where the run writes, and whether
 * the attempt can see a GPU ({@code CUDA_VISIBLE_DEVICES}, else {@code nvidia-smi -L}). The GPU
 * count is looked up once and kept; disk space is read at every attempt's end.
 */
public final class ContextProbe {
    private static final long NVIDIA_SMI_TIMEOUT_SECONDS = 10;
    private Integer systemGpus;

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

    private synchronized int systemGpus(Map<String, String> env) {
        if (systemGpus == null) {
            systemGpus = countNvidiaSmi(env);
        }
        return systemGpus;
    }

    /** Lines "GPU n: ..." of {@code nvidia-smi -L}; 0 when the tool is missing or fails, as then no GPU is usable. */
    static int countNvidiaSmi(Map<String, String> env) {
        Path out = null;
        try {
            // output to a file, so that a hung nvidia-smi cannot block a read: the wait has a limit
            out = Files.createTempFile("medic-nvidia-smi", ".txt");
            ProcessBuilder pb = new ProcessBuilder("nvidia-smi", "-L").redirectErrorStream(true).redirectOutput(out.toFile());
            pb.environment().clear();
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(NVIDIA_SMI_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return 0;
            }
            if (p.exitValue() != 0) {
                return 0;
            }
            return (int) Files.readString(out, StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("GPU ")).count();
        } catch (IOException | RuntimeException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        } finally {
            if (out != null) {
                try {
                    Files.deleteIfExists(out);
                } catch (IOException ignored) {
                    // a temporary file left in /tmp
                }
            }
        }
    }
}
