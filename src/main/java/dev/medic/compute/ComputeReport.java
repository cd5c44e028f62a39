package dev.medic.compute;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What this machine offers a run: GPUs (from nvidia-smi), CPUs, memory, free disk where runs are
 * written, and whether a Docker engine and Slurm answer. The backends' checks are given by the
 * caller, so this package depends on none of them.
 */
public record ComputeReport(List<Gpu> gpus, String gpuNote, int cpus, long memoryTotalBytes, long memoryAvailableBytes,
                            String diskPath, long diskFreeBytes, long diskTotalBytes, Service docker, Service slurm) {

    /** What {@link #slurm} says of a cluster that answers without a partition. */
    public static final String NO_PARTITIONS = "no partitions";

    /** Whether a service answered, and its version or why not. */
    public record Service(boolean answers, String detail) {
    }

    public static ComputeReport probe(Path runDir, Map<String, String> env, Service docker) {
        GpuInventory.Result gpus = GpuInventory.probe(env, Duration.ofSeconds(10));
        long[] mem = meminfo();
        Path existing = runDir.toAbsolutePath();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        long free = -1;
        long total = -1;
        try {
            FileStore store = Files.getFileStore(existing == null ? Path.of("/") : existing);
            free = store.getUsableSpace();
            total = store.getTotalSpace();
        } catch (IOException e) {
            // unknown
        }
        return new ComputeReport(gpus.gpus(), gpus.note(), Runtime.getRuntime().availableProcessors(), mem[0], mem[1],
                runDir.toString(), free, total, docker, slurm(env));
    }

    private static long[] meminfo() {
        long total = -1;
        long available = -1;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                String[] f = line.split("\\s+");
                if (f.length >= 2 && f[0].equals("MemTotal:")) {
                    total = Long.parseLong(f[1]) * 1024;
                } else if (f.length >= 2 && f[0].equals("MemAvailable:")) {
                    available = Long.parseLong(f[1]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or /proc unreadable
        }
        return new long[] {total, available};
    }

    /** Slurm answers when {@code sinfo} lists partitions within a few seconds. */
    public static Service slurm(Map<String, String> env) {
        ProcessBuilder pb = new ProcessBuilder(dev.medic.util.Executables.find("sinfo", env), "--noheader", "--format=%P %a %D").redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().putAll(env);
        try {
            Process p = pb.start();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Service(false, "sinfo did not answer within 5 s");
            }
            String out = new String(p.getInputStream().readAllBytes()).strip();
            if (p.exitValue() != 0) {
                return new Service(false, "sinfo failed: " + out.lines().findFirst().orElse("exit " + p.exitValue()));
            }
            return new Service(true, out.isEmpty() ? NO_PARTITIONS : String.join("; ", out.lines().toList()));
        } catch (IOException e) {
            return new Service(false, "sinfo not found");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Service(false, "interrupted");
        }
    }
}
