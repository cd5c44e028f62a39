package dev.medic.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.medic.backend.BackendException;
import dev.medic.backend.docker.DockerConnection;
import dev.medic.compute.ComputeReport;
import dev.medic.compute.Gpu;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "compute", mixinStandardHelpOptions = true, versionProvider = MedicCommand.VersionProvider.class, description = "What this machine offers a run: GPUs, CPUs, memory, free disk, Docker, Slurm.")
final class ComputeCommand implements Callable<Integer> {
    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Option(names = "--run-dir", defaultValue = ".medic/runs", description = "Where runs are written (its free space is reported).")
    Path runDir;

    @Override
    public Integer call() throws Exception {
        ComputeReport.Service docker;
        try {
            var client = DockerConnection.connect(System.getenv());
            docker = new ComputeReport.Service(true, "engine " + client.versionCmd().exec().getVersion());
        } catch (BackendException e) {
            docker = new ComputeReport.Service(false, "not reachable at " + DockerConnection.describe(System.getenv()));
        }
        ComputeReport r = ComputeReport.probe(runDir, System.getenv(), docker);
        if (json) {
            System.out.println(new ObjectMapper().setPropertyNamingStrategy(com.fasterxml.jackson.databind.PropertyNamingStrategies.SNAKE_CASE)
                    .writerWithDefaultPrettyPrinter().writeValueAsString(r));
            return 0;
        }
        if (r.gpus().isEmpty()) {
            System.out.println("gpus: none" + (r.gpuNote().isEmpty() ? "" : " (" + r.gpuNote() + ")"));
        }
        for (Gpu g : r.gpus()) {
            System.out.printf(Locale.ROOT, "gpu %d: %s, %d MiB (%d MiB free), %d%% busy, %d C, %s%n", g.index(), g.name(),
                    g.memoryTotalMib(), g.memoryFreeMib(), g.utilizationPercent(), g.temperatureC(), g.uuid());
            for (Gpu.MigDevice m : g.mig()) {
                System.out.println("  mig " + m.index() + ": " + m.profile() + ", " + m.uuid());
            }
        }
        System.out.println("cpus: " + r.cpus());
        System.out.printf(Locale.ROOT, "memory: %.1f GiB (%.1f GiB available)%n", r.memoryTotalBytes() / 1073741824.0,
                r.memoryAvailableBytes() / 1073741824.0);
        System.out.printf(Locale.ROOT, "disk: %.1f GiB free of %.1f GiB at %s%n", r.diskFreeBytes() / 1073741824.0,
                r.diskTotalBytes() / 1073741824.0, r.diskPath());
        System.out.println("docker: " + (r.docker().answers() ? "yes, " : "no, ") + r.docker().detail());
        System.out.println("slurm: " + (r.slurm().answers() ? "yes, " : "no, ") + r.slurm().detail());
        return 0;
    }
}
