package dev.medic.cli;

import dev.medic.backend.slurm.SlurmSpec;
import picocli.CommandLine.Option;

import java.util.List;

/** `--backend slurm` options: what each attempt's job asks the scheduler for. */
final class SlurmOptions {
    @Option(names = "--partition", paramLabel = "NAME", description = "Slurm partition.")
    String partition;

    @Option(names = "--time", paramLabel = "LIMIT", description = "Slurm time limit per job (e.g. 1:00:00); a job that runs past it is a 'timeout' failure.")
    String time;

    @Option(names = "--gres", paramLabel = "GRES", description = "Generic resources per job, e.g. gpu:1.")
    String gres;

    @Option(names = "--mem", paramLabel = "SIZE", description = "Memory per node, e.g. 32G.")
    String mem;

    @Option(names = "--cpus-per-task", paramLabel = "N", description = "CPUs per task.")
    Integer cpusPerTask;

    @Option(names = "--account", paramLabel = "NAME", description = "Slurm account.")
    String account;

    @Option(names = "--qos", paramLabel = "NAME", description = "Slurm QOS.")
    String qos;

    @Option(names = "--sbatch-arg", paramLabel = "ARG", description = "Any other sbatch option, one argument each (repeatable), e.g. --sbatch-arg=--exclusive.")
    List<String> sbatchArgs;

    SlurmSpec toSpec() {
        try {
            return new SlurmSpec(partition, time, gres, mem, cpusPerTask, account, qos, sbatchArgs);
        } catch (IllegalArgumentException e) {
            throw dev.medic.MedicException.badInput(e.getMessage());
        }
    }
}
