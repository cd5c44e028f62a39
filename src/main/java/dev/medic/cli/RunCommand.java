package dev.medic.cli;

import dev.medic.backend.OutputSink;
import dev.medic.facts.RunSpec;
import dev.medic.fix.FixRegistry;
import dev.medic.supervise.Knowledge;
import dev.medic.supervise.RunFolder;
import dev.medic.supervise.RunLock;
import dev.medic.supervise.RunState;
import dev.medic.supervise.RunOptions;
import dev.medic.supervise.RunResult;
import dev.medic.supervise.Supervisor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import dev.medic.MedicException;
import java.util.Optional;
import java.util.concurrent.Callable;

@Command(name = "run", mixinStandardHelpOptions = true, versionProvider = MedicCommand.VersionProvider.class, description = {
        "Runs CMD, watches its output, and on a failure applies the catalog's next fix and tries again.",
        "The command is an argv list, run without a shell. Durations: 500ms, 90s, 30m, 2h, 1d (0: no limit)."})
final class RunCommand implements Callable<Integer> {
    @Mixin
    LimitOptions limits;

    @Option(names = "--run-dir", defaultValue = ".medic/runs", description = "Where run folders go (default: ${DEFAULT-VALUE}).")
    Path runDir;

    @Option(names = "--dry-run", description = "Detect and decide for the first attempt; print what would be done; never rewrite or retry.")
    boolean dryRun;

    @Mixin
    FixOptions fixes;

    @Option(names = {"-q", "--quiet"}, description = "Do not show the run's output (it is still saved in the run folder).")
    boolean quiet;

    @Option(names = "--config", paramLabel = "FILE", description = "Option defaults (YAML, keys as the long option names); default ./medic.yaml when present.")
    Path config;

    @Mixin
    Sources sources;

    @Mixin
    NotifyOptions notify;

    @Mixin
    MetricsOptions metrics;

    @Option(names = "--backend", defaultValue = "local", paramLabel = "NAME", description = "Where attempts run: local (default), docker (a container each) or slurm (a job each).")
    String backendName;

    @Option(names = "--fallback", paramLabel = "local", description = "With --backend docker or slurm: run as a local process when Docker or Slurm is not reachable (journaled as a warning).")
    String fallback;

    @Mixin
    DockerOptions docker;

    @Mixin
    SlurmOptions slurm;

    @Option(names = "--gpus", paramLabel = "GPUS", description = "With --backend docker: GPUs for the container: all, a count, or device=0,1 (NVIDIA device requests).")
    String gpus;

    @Option(names = "--resume", paramLabel = "RUN", description = "Continue RUN (an id, its beginning, or its folder) from its journal:"
            + " its command with every fix applied, the next attempt number, the budget left. Give the run's options again; no command.")
    String resume;

    @Option(names = "--detach", description = "Supervise in the background: print the run id and return; the run outlives this terminal."
            + " Its output and medic's lines go to the run folder (medic logs, medic ps, medic stop).")
    boolean detach;

    @Parameters(arity = "0..*", paramLabel = "CMD", description = "The command and its arguments (put them after --).")
    List<String> command;

    @Spec
    CommandSpec commandSpec;

    @Override
    public Integer call() throws Exception {
        boolean hasCommand = command != null && !command.isEmpty();
        if (resume == null && !hasCommand) {
            throw MedicException.badInput("a command to run is required (after --), or --resume RUN");
        }
        if (resume != null && hasCommand) {
            throw MedicException.badInput("--resume takes no command: the run's command and its fixes come from its journal");
        }
        Path resumeDir = resume == null ? null : RunRef.resolve(resume, runDir, Path.of(".medic/sweeps"));
        RunOptions options = limits.toRunOptions(runDir, dryRun);
        // checked here to refuse at once (and before detaching); the supervisor checks again under the run's lock
        RunState state = resumeDir == null ? null : RunState.read(resumeDir).requireResumable(options.maxAttempts());
        Optional<Path> detachedFolder = Detach.folderOfThisSupervisor();
        if (detach && detachedFolder.isEmpty()) {
            if (dryRun) {
                throw MedicException.badInput("--detach and --dry-run do not go together");
            }
            RunFolder folder = resumeDir != null ? RunFolder.open(resumeDir) : RunFolder.create(runDir);
            RunLock.refuseIfHeld(folder.dir());
            long pid = Detach.start(folder.dir(), commandSpec.root().commandLine().getParseResult().originalArgs());
            System.out.println(folder.runId());
            System.err.println("medic: run " + folder.runId() + " goes on in the background (supervisor pid " + pid
                    + "); medic logs " + folder.runId() + " -f follows it, medic stop " + folder.runId() + " stops it");
            return 0;
        }
        if (detachedFolder.isPresent()) {
            Signals.ignoreHangup();
            quiet = true;
        }
        fixes.check();
        Map<String, String> env = new java.util.HashMap<>(System.getenv());
        env.remove(Detach.FOLDER_ENV);
        RunSpec spec = new RunSpec(hasCommand ? command : List.of("(resumed)"), env, Path.of("").toAbsolutePath());
        try (Knowledge knowledge = new Knowledge(sources.catalogLocation(), sources.rulesLocation())) {
            Backends.Choice backend = Backends.choose(backendName, fallback, docker, gpus, slurm, System.getenv());
            if (state != null && !state.backend().equals(backend.backend().name())) {
                throw MedicException.badInput("run " + state.runId() + " ran on the " + state.backend() + " backend; resume it with --backend "
                        + state.backend() + " and the options it ran with");
            }
            options = fixes.apply(options, backend.inContainer(), docker);
            for (Map.Entry<String, String> b : FixOptions.backendSettings(backend.inContainer(), docker).entrySet()) {
                spec = spec.withBackendSetting(b.getKey(), b.getValue());
            }
            Supervisor supervisor = new Supervisor(backend.backend(), knowledge, FixRegistry.standard(),
                    notify.create(System.err), options);
            backend.warning().ifPresent(supervisor::warnAtStart);
            supervisor.addListener(new ConsoleReporter(System.err)::onRecord);
            metrics.create().ifPresent(supervisor::addListener);
            if (!quiet) {
                supervisor.echoOutputTo(new Echo());
            }
            Signals.onInterrupt(supervisor::requestStop);
            RunResult result = state != null ? supervisor.resume(RunFolder.open(resumeDir), spec)
                    : detachedFolder.isPresent() ? supervisor.run(spec, Detach.freshFolder(detachedFolder.get()))
                    : supervisor.run(spec);
            return result.exitCode();
        }
    }

    /** Shows the run's output as it comes: stdout to stdout, stderr to stderr. */
    private static final class Echo implements OutputSink {
        @Override
        public void bytes(String stream, byte[] b, int off, int len) {
            var out = STDERR.equals(stream) ? System.err : System.out;
            out.write(b, off, len);
            out.flush();
        }

        @Override
        public void closed(String stream) {
        }

        @Override
        public void exited() {
        }
    }
}
