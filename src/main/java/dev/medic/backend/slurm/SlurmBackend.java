package dev.medic.backend.slurm;

import dev.medic.ExitCodes;
import dev.medic.backend.AttemptTag;
import dev.medic.backend.BackendException;
import dev.medic.backend.CommandResult;
import dev.medic.backend.OutputSink;
import dev.medic.backend.RunBackend;
import dev.medic.backend.RunningAttempt;
import dev.medic.backend.local.LocalCommand;
import dev.medic.facts.RunSpec;
import dev.medic.util.Hosts;
import dev.medic.util.PrivateFolder;
import dev.medic.util.Supervisors;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs each attempt as a Slurm job: a generated batch script (every argument single-quoted, so no
 * parameter or trial value can inject anything) submitted with {@code sbatch --parsable}, its
 * stdout and stderr written into the run folder and followed live, its state polled with
 * {@code scontrol}. The job inherits the attempt's environment (fixes' variables included). The
 * job name and comment carry the run id and the supervisor, for {@code medic cleanup}.
 */
public final class SlurmBackend implements RunBackend {
    public static final String COMMENT_PREFIX = "medic:";
    private final SlurmSpec spec;
    private final Map<String, String> env;

    public SlurmBackend(SlurmSpec spec, Map<String, String> env) {
        this.spec = spec;
        this.env = Map.copyOf(env);
        Slurm.Result r = Slurm.run(env, 15, List.of("sinfo", "--noheader", "--format=%P"));
        if (r.exitCode() != 0) {
            throw new BackendException(ExitCodes.BACKEND_UNAVAILABLE, "Slurm is not reachable (sinfo: "
                    + r.out().lines().findFirst().orElse("exit " + r.exitCode()) + ")");
        }
    }

    @Override
    public List<String> stopLeftovers() {
        return answered(new SlurmCleanup(env).cancelOrphans());
    }

    @Override
    public List<String> stopLeftovers(AttemptTag run, int adopted) {
        return answered(new SlurmCleanup(env).cancelOrphans(run.runId()));
    }

    private static List<String> answered(List<String> cancelled) {
        return cancelled == null ? List.of("slurm: squeue does not answer; jobs of dead runs were not looked for") : cancelled;
    }

    @Override
    public String name() {
        return "slurm";
    }

    /** A POSIX shell word that means exactly {@code s}. */
    static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    static String script(RunSpec run, AttemptTag tag) {
        StringBuilder b = new StringBuilder("#!/bin/sh\n");
        b.append("# medic run ").append(tag.runId()).append(", attempt ").append(tag.attempt()).append('\n');
        b.append("cd ").append(quote(run.getWorkdir().toString())).append(" || exit 1\n");
        b.append("exec");
        for (String a : run.getArgv()) {
            b.append(' ').append(quote(a));
        }
        return b.append('\n').toString();
    }

    @Override
    public RunningAttempt start(RunSpec run, AttemptTag tag, OutputSink sink) {
        Path dir = tag.runDir();
        Path script = dir.resolve("slurm-attempt-" + tag.attempt() + ".sh");
        Path out = dir.resolve("slurm-attempt-" + tag.attempt() + ".out");
        Path err = dir.resolve("slurm-attempt-" + tag.attempt() + ".err");
        if (dir.toString().contains("\\")) {
            // sbatch turns off its %-patterns for a whole path when it holds a backslash: refuse rather than guess
            throw new BackendException(ExitCodes.BAD_INPUT, "the run folder " + dir + " holds a backslash, which sbatch's --output cannot take");
        }
        try {
            // the job can see its run folder: a link it planted for the next attempt's files is refused
            PrivateFolder folder = PrivateFolder.of(dir, PrivateFolder.RUN_FOLDER);
            folder.write(script, script(run, tag).getBytes(StandardCharsets.UTF_8));
            // made private and empty here, so Slurm writes into medic's own files
            folder.write(out, new byte[0]);
            folder.write(err, new byte[0]);
        } catch (IOException e) {
            throw new BackendException(ExitCodes.INTERNAL_ERROR, "cannot write " + script + ": " + e.getMessage());
        }
        long[] self = Supervisors.self();
        // --no-requeue: medic runs a lost job again itself, with its own bookkeeping, and never two copies
        List<String> cmd = new ArrayList<>(List.of("sbatch", "--parsable", "--no-requeue",
                "--job-name=medic-" + tag.runId() + "-" + tag.attempt(),
                "--comment=" + COMMENT_PREFIX + tag.runId() + ":" + self[0] + "@" + Hosts.name() + "@" + self[1],
                "--output=" + pattern(out), "--error=" + pattern(err), "--export=ALL", "--chdir=" + run.getWorkdir()));
        cmd.addAll(spec.options());
        cmd.add(script.toString());
        Slurm.Result r = Slurm.run(run.getEnv(), 60, cmd);
        if (r.exitCode() != 0) {
            throw new BackendException(ExitCodes.BAD_INPUT, "sbatch refused the job: "
                    + r.out().lines().findFirst().orElse("exit " + r.exitCode()));
        }
        String[] answer = r.out().lines().reduce((a, b) -> b).orElse("").strip().split(";", 2);
        String id = answer[0].strip();
        String cluster = answer.length > 1 ? answer[1].strip() : null;
        if (!id.matches("\\d+(_\\d+)?") || cluster != null && !cluster.matches("[A-Za-z0-9_.-]+")) {
            throw new BackendException(ExitCodes.INTERNAL_ERROR, "sbatch answered no job id: " + r.out());
        }
        return new SlurmAttempt(id, cluster, out, err, run.getEnv(), sink);
    }

    /** A path as sbatch's --output reads it: a literal % is written %%. */
    static String pattern(Path p) {
        return p.toString().replace("%", "%%");
    }

    /** Fix actions run on this host, which shares the run's file system with the cluster's nodes. */
    @Override
    public CommandResult runCommand(RunSpec like, List<String> argv, Map<String, String> env, Duration timeout, Path log)
            throws InterruptedException {
        return LocalCommand.run(argv, env, like.getWorkdir(), timeout, log);
    }
}
