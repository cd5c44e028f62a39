package dev.medic.compute;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The GPUs of this machine from {@code nvidia-smi --query-gpu=... --format=csv,noheader,nounits},
 * with their MIG instances from {@code nvidia-smi -L}. A missing or failing nvidia-smi gives no
 * GPUs and a note saying why; a hung one is stopped at the time limit.
 */
public final class GpuInventory {
    public static final String QUERY = "index,name,uuid,memory.total,memory.used,memory.free,utilization.gpu,temperature.gpu";
    private static final Pattern GPU_LINE = Pattern.compile("^GPU (\\d+): .*\\(UUID: (\\S+)\\)");
    private static final Pattern MIG_LINE = Pattern.compile("^\\s+MIG (\\S+)\\s+Device\\s+(\\d+): \\(UUID: (\\S+)\\)");

    /** The GPUs found, and a note when nvidia-smi could not be asked (empty when it answered). */
    public record Result(List<Gpu> gpus, String note) {
        public Result {
            gpus = List.copyOf(gpus);
        }
    }

    private GpuInventory() {
    }

    public static Result probe(Map<String, String> env, Duration timeout) {
        Output query = run(List.of("nvidia-smi", "--query-gpu=" + QUERY, "--format=csv,noheader,nounits"), env, timeout);
        if (query.note() != null) {
            return new Result(List.of(), query.note());
        }
        Output list = run(List.of("nvidia-smi", "-L"), env, timeout);
        return new Result(parse(query.text(), list.note() == null ? list.text() : ""), "");
    }

    static List<Gpu> parse(String csv, String listing) {
        List<List<Gpu.MigDevice>> migs = migDevices(listing);
        List<Gpu> out = new ArrayList<>();
        for (String line : csv.lines().toList()) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split(",\\s*", -1);
            if (f.length < 8) {
                continue;
            }
            int index = (int) num(f[0]);
            List<Gpu.MigDevice> mig = index >= 0 && index < migs.size() ? migs.get(index) : List.of();
            out.add(new Gpu(index, f[1].strip(), f[2].strip(), num(f[3]), num(f[4]), num(f[5]), (int) num(f[6]), (int) num(f[7]), mig));
        }
        return out;
    }

    private static List<List<Gpu.MigDevice>> migDevices(String listing) {
        List<List<Gpu.MigDevice>> byGpu = new ArrayList<>();
        for (String line : listing.lines().toList()) {
            Matcher g = GPU_LINE.matcher(line);
            if (g.find()) {
                byGpu.add(new ArrayList<>());
                continue;
            }
            Matcher m = MIG_LINE.matcher(line);
            if (m.find() && !byGpu.isEmpty()) {
                byGpu.get(byGpu.size() - 1).add(new Gpu.MigDevice(Integer.parseInt(m.group(2)), m.group(1), m.group(3)));
            }
        }
        return byGpu;
    }

    private static long num(String s) {
        try {
            return (long) Double.parseDouble(s.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private record Output(String text, String note) {
    }

    private static Output run(List<String> cmd, Map<String, String> env, Duration timeout) {
        Path out = null;
        try {
            out = Files.createTempFile("medic-nvidia-smi", ".txt");
            java.util.List<String> resolved = new ArrayList<>(cmd);
            resolved.set(0, dev.medic.util.Executables.find(cmd.get(0), env));
            ProcessBuilder pb = new ProcessBuilder(resolved).redirectErrorStream(true).redirectOutput(out.toFile());
            pb.environment().clear();
            pb.environment().putAll(env);
            Process p;
            try {
                p = pb.start();
            } catch (IOException e) {
                return new Output("", "nvidia-smi not found: no NVIDIA driver tools on this machine");
            }
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                return new Output("", "nvidia-smi did not answer within " + timeout.toSeconds() + " s");
            }
            String text = Files.readString(out, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                String first = text.lines().filter(l -> !l.isBlank()).findFirst().orElse("").strip();
                return new Output("", "nvidia-smi failed (exit " + p.exitValue() + ")" + (first.isEmpty() ? "" : ": " + first));
            }
            return new Output(text, null);
        } catch (IOException e) {
            return new Output("", "nvidia-smi could not be run: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Output("", "interrupted");
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
