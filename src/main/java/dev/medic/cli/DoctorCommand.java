package dev.medic.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.medic.ExitCodes;
import dev.medic.MedicException;
import dev.medic.doctor.BackendCheck;
import dev.medic.doctor.Finding;
import dev.medic.doctor.GpuCheck;
import dev.medic.doctor.JavaCheck;
import dev.medic.doctor.KnowledgeCheck;
import dev.medic.doctor.NotifierCheck;
import dev.medic.doctor.RunDirCheck;
import dev.medic.util.ByteSizes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "doctor", mixinStandardHelpOptions = true, versionProvider = MedicCommand.VersionProvider.class, description = {
        "Checks this machine before a run: Java, catalog, rules, run folder and free space, Docker and Slurm (when runs use them), GPUs, notifiers.",
        "One line per check: ok, warn, FAIL or skip. Exit 6 when a check fails.",
        "It takes run's options and reads the same medic.yaml, so it checks what that run would use."})
final class DoctorCommand implements Callable<Integer> {
    private static final List<String> BACKENDS = List.of("local", "docker", "slurm");

    @Option(names = "--config", paramLabel = "FILE", description = "Option defaults (YAML); default ./medic.yaml when present.")
    Path config;

    @Mixin
    Sources sources;

    @Option(names = "--run-dir", defaultValue = ".medic/runs", description = "Where run folders go (default: ${DEFAULT-VALUE}).")
    Path runDir;

    @Option(names = "--min-free-space", defaultValue = "1G", paramLabel = "SIZE", description = "Free space the run folder's file system must have (default: ${DEFAULT-VALUE}).")
    String minFreeSpace;

    @Option(names = "--backend", defaultValue = "local", split = ",", paramLabel = "NAME", description = "Where runs go: local (default), docker, slurm; comma-separated. Docker and Slurm are checked only when named.")
    List<String> backends;

    @Option(names = "--fallback", paramLabel = "local", description = "Runs fall back to a local process: an unreachable Docker or Slurm is a warning, not a failure.")
    String fallback;

    @Option(names = "--image", paramLabel = "IMAGE", description = "With --backend docker: the image runs use, which must be on the engine.")
    String image;

    @Option(names = "--partition", paramLabel = "NAME", description = "With --backend slurm: the partition runs use, which sinfo must list.")
    String partition;

    @Option(names = "--gpus", paramLabel = "GPUS", description = "The GPUs runs ask for (all, a count, device=0,1): then no GPU, or too few, fails; without it, none is a warning.")
    String gpus;

    @Mixin
    NotifyOptions notify;

    @Option(names = "--send", description = "Send a test message through each notifier (telegram, webhook).")
    boolean send;

    @Option(names = "--json", description = "Print one JSON object instead of the lines.")
    boolean json;

    private final List<Finding> findings = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        long minFree = parseSize();
        for (String b : backends) {
            if (!BACKENDS.contains(b)) {
                throw MedicException.badInput("--backend must be local, docker or slurm, not '" + b + "'");
            }
        }
        if (fallback != null && !fallback.equals("local")) {
            throw MedicException.badInput("--fallback takes only local");
        }
        Map<String, String> env = System.getenv();
        report(configFile());
        report(JavaCheck.check());
        report(KnowledgeCheck.catalog(sources::catalogLocation));
        report(KnowledgeCheck.rules(sources::rulesLocation));
        report(RunDirCheck.writable(runDir));
        report(RunDirCheck.freeSpace(runDir, minFree));
        String configured = "not configured (--backend " + String.join(",", backends) + ")";
        report(backends.contains("docker") ? BackendCheck.docker(env, image, fallback != null) : Finding.skip("docker", configured));
        report(backends.contains("slurm") ? BackendCheck.slurm(env, partition, fallback != null) : Finding.skip("slurm", configured));
        report(backends.equals(List.of("slurm")) ? Finding.skip("gpus", "Slurm jobs get GPUs on their nodes (--gres), not from this machine")
                : GpuCheck.check(env, gpus, Duration.ofSeconds(10)));
        NotifierCheck.check(notify.setup(), env, send).forEach(this::report);
        List<String> failed = findings.stream().filter(Finding::failed).map(Finding::check).toList();
        if (json) {
            printJson(failed.isEmpty());
        }
        if (failed.isEmpty()) {
            return ExitCodes.SUCCESS;
        }
        System.err.println("medic: " + failed.size() + " check(s) failed: " + String.join(", ", failed));
        return ExitCodes.CHECK_FAILED;
    }

    private long parseSize() {
        try {
            return ByteSizes.parse(minFreeSpace);
        } catch (IllegalArgumentException e) {
            throw MedicException.badInput("--min-free-space: " + e.getMessage());
        }
    }

    private void report(Finding f) {
        findings.add(f);
        if (!json) {
            System.out.println(f.line());
            System.out.flush();
        }
    }

    /** Which file gave the option defaults (a medic.yaml that does not load stops medic before any check). */
    private Finding configFile() {
        if (config != null) {
            return Finding.ok("config", config.toAbsolutePath() + " (--config)");
        }
        Path beside = Path.of(ConfigFile.DEFAULT_NAME);
        return Files.isRegularFile(beside) ? Finding.ok("config", beside.toAbsolutePath().toString())
                : Finding.ok("config", "none (no ./" + ConfigFile.DEFAULT_NAME + "; defaults and flags only)");
    }

    private void printJson(boolean ok) throws Exception {
        List<Map<String, String>> checks = new ArrayList<>();
        for (Finding f : findings) {
            Map<String, String> c = new LinkedHashMap<>();
            c.put("check", f.check());
            c.put("status", f.status().word().toLowerCase(Locale.ROOT));
            c.put("detail", f.detail());
            checks.add(c);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("ok", ok);
        out.put("checks", checks);
        System.out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(out));
    }
}
