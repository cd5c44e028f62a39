package dev.medic.cli;

import dev.medic.ExitCodes;
import dev.medic.MedicException;
import dev.medic.catalog.Catalog;
import dev.medic.catalog.CatalogLoader;
import dev.medic.compute.Gpu;
import dev.medic.compute.GpuInventory;
import dev.medic.logs.Redactor;
import dev.medic.supervise.FolderMark;
import dev.medic.supervise.RunFolder;
import dev.medic.sweep.GpuPool;
import dev.medic.sweep.SweepFiles;
import dev.medic.sweep.SweepRunner;
import dev.medic.sweep.Trial;
import dev.medic.sweep.TrialResult;
import dev.medic.sweep.TrialSource;
import dev.medic.util.PrivateFolder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;

@Command(name = "sweep", mixinStandardHelpOptions = true, versionProvider = MedicCommand.VersionProvider.class, description = {
        "Runs many trials of a command, each supervised as its own run, spread over the GPUs.",
        "Trials come from --grid NAME=V1,V2 (a product of all grids) or --trials FILE (.csv with a header, or .jsonl);",
        "{NAME} in the command becomes each trial's value (inside its argument: no shell ever sees it)."})
final class SweepCommand implements Callable<Integer> {
    @Option(names = "--grid", paramLabel = "NAME=V1,V2", description = "A parameter and its values (repeatable).")
    List<String> grids;

    @Option(names = "--trials", paramLabel = "FILE", description = "Trials from a .csv (header: parameter names) or .jsonl file.")
    Path trialsFile;

    @Option(names = "--gpus", paramLabel = "auto|0,1,...", description = "The GPU pool: auto (what nvidia-smi lists) or indexes. With none, trials run on the CPU.")
    String gpus;

    @Option(names = "--gpus-per-trial", defaultValue = "1", description = "GPUs each trial takes (default: ${DEFAULT-VALUE}).")
    int gpusPerTrial;

    @Option(names = "--per-gpu", defaultValue = "1", description = "Trials that may share one GPU (default: ${DEFAULT-VALUE}).")
    int perGpu;

    @Option(names = "--parallel", defaultValue = "1", description = "Trials at once when they run on the CPU (default: ${DEFAULT-VALUE}).")
    int parallel;

    @Option(names = "--breaker", defaultValue = "3", description = "Stop starting trials after this many in a row end with the same non-retryable failure (0: never; default: ${DEFAULT-VALUE}).")
    int breaker;

    @Option(names = "--resume", paramLabel = "SWEEP", description = "Run a sweep again, skipping the trials that succeeded.")
    String resume;

    @Option(names = "--sweep-dir", defaultValue = ".medic/sweeps", description = "Where sweep folders go (default: ${DEFAULT-VALUE}).")
    Path sweepDir;

    @Option(names = "--config", paramLabel = "FILE", description = "Option defaults (YAML); default ./medic.yaml when present.")
    Path config;

    @Mixin
    LimitOptions limits;

    @Mixin
    Sources sources;

    @Mixin
    NotifyOptions notify;

    @Mixin
    MetricsOptions metrics;

    @Option(names = "--backend", defaultValue = "local", paramLabel = "NAME", description = "Where trials run: local (default), docker (one container per trial, with device requests for its GPUs) or slurm (one job per trial, GPUs through --gres).")
    String backendName;

    @Mixin
    DockerOptions docker;

    @Mixin
    FixOptions fixes;

    @Mixin
    SlurmOptions slurm;

    @Parameters(arity = "1..*", paramLabel = "CMD", description = "The command, with {NAME} placeholders (put it after --).")
    List<String> command;

    @Override
    public Integer call() throws Exception {
        List<Trial> found = trials();
        for (Trial t : found) {
            TrialSource.substitute(command, t);
        }
        // secret values are masked in the sweep's files, table, progress lines and digest
        Set<String> secret = TrialSource.secretParams(command, found, Redactor.fromEnvironments(System.getenv()));
        List<Trial> trials = found.stream().map(t -> t.hiding(secret)).toList();
        fixes.check();
        GpuPool pool = pool();
        Catalog catalog = new CatalogLoader().load(sources.catalogLocation().read());
        // private, and never through a link (a trial can see its sweep folder); trials/ is made here so it is private too
        PrivateFolder folder = resume != null ? PrivateFolder.open(resumable(sweepDir.resolve(resume)), PrivateFolder.SWEEP_FOLDER)
                : RunFolder.createUnique(sweepDir, "sweep", PrivateFolder.SWEEP_FOLDER);
        Path dir = folder.dir();
        String id = resume != null ? resume : dir.getFileName().toString();
        FolderMark.markSweep(folder, id);
        folder.directory(dir.resolve(SweepRunner.TRIALS));
        SweepFiles files = new SweepFiles(folder);
        Map<String, TrialResult> before = files.succeeded(trials);
        try {
            files.restart();
        } catch (IOException e) {
            throw MedicException.badInput("cannot write the sweep folder " + dir + ": " + e.getMessage());
        }
        boolean inContainers = backendName.equals("docker");
        boolean asJobs = backendName.equals("slurm");
        if (!inContainers && !asJobs && !backendName.equals("local")) {
            throw MedicException.badInput("--backend must be local, docker or slurm, not '" + backendName + "'");
        }
        if (asJobs && pool != null) {
            throw MedicException.badInput("with --backend slurm the scheduler places GPUs: ask for them with --gres gpu:N, not --gpus");
        }
        java.util.function.Function<List<String>, dev.medic.backend.RunBackend> backendFor;
        var options = limits.toRunOptions(dir.resolve(SweepRunner.TRIALS), false);
        if (inContainers) {
            var base = docker.toSpec(null);
            var client = dev.medic.backend.docker.DockerConnection.connect(System.getenv());
            backendFor = held -> new dev.medic.backend.docker.DockerBackend(client, base.withGpus(
                    held.isEmpty() ? base.gpus() : "device=" + String.join(",", held)), System.getenv());
        } else if (asJobs) {
            // every trial is a job of its own; Slurm gives it the GPUs its --gres asks for
            var jobs = new dev.medic.backend.slurm.SlurmBackend(slurm.toSpec(), System.getenv());
            backendFor = held -> jobs;
        } else {
            backendFor = held -> new dev.medic.backend.local.LocalBackend();
        }
        options = fixes.apply(options, inContainers, docker);
        var setup = new SweepRunner.Setup(command, System.getenv(), Path.of("").toAbsolutePath(),
                FixOptions.backendSettings(inContainers, docker), options,
                sources.catalogLocation(), sources.rulesLocation(), pool, parallel, breaker, before, notify.create(System.err),
                backendFor, !inContainers && !asJobs);
        PrintStream out = System.err;
        out.println("medic: sweep " + id + ": " + trials.size() + " trial(s)" + (asJobs ? ", " + parallel + " at once as Slurm jobs" : pool == null ? ", " + parallel + " at once on the CPU"
                : ", " + pool.slots() + " at once on GPUs " + gpus) + (before.isEmpty() ? "" : ", " + before.size() + " succeeded before"));
        Progress progress = new Progress(out, trials.size(), System.console() != null);
        SweepRunner runner = new SweepRunner(setup, catalog, progress);
        metrics.create().ifPresent(m -> runner.watchEachRun(m::forRun));
        Signals.onInterrupt(runner::requestStop);
        List<TrialResult> results = runner.run(trials, dir, id, files);
        progress.done();
        files.writeCsv(results);
        printTable(out, results);
        out.println("medic: sweep " + id + ": " + dir.resolve("sweep.csv") + ", " + dir.resolve("sweep.jsonl"));
        if (runner.stopSignal() != null) {
            return "INT".equals(runner.stopSignal()) ? ExitCodes.INTERRUPTED_INT : ExitCodes.INTERRUPTED_TERM;
        }
        return results.stream().allMatch(TrialResult::succeeded) ? ExitCodes.SUCCESS : ExitCodes.RUN_FAILED;
    }

    /** The folder of the sweep --resume names, or a one-line refusal: medic writes only into a sweep folder it made. */
    private Path resumable(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw MedicException.badInput("--resume: no sweep '" + resume + "' under " + sweepDir);
        }
        String why = FolderMark.notASweep(dir);
        if (why != null) {
            throw MedicException.badInput("--resume: " + dir + " is not a medic sweep folder (" + why + "); medic writes only into sweep folders it made");
        }
        return dir;
    }

    private List<Trial> trials() {
        if ((grids == null || grids.isEmpty()) == (trialsFile == null)) {
            throw MedicException.badInput("give --grid NAME=V1,V2 (repeatable) or --trials FILE, not both and not neither");
        }
        return trialsFile != null ? TrialSource.file(trialsFile) : TrialSource.grid(grids);
    }

    private GpuPool pool() {
        if (gpus == null) {
            return null;
        }
        List<String> ids = new ArrayList<>();
        if (gpus.equals("auto")) {
            var found = GpuInventory.probe(System.getenv(), Duration.ofSeconds(10));
            for (Gpu g : found.gpus()) {
                ids.add(Integer.toString(g.index()));
            }
            if (ids.isEmpty()) {
                return null;
            }
        } else {
            for (String g : gpus.split(",")) {
                if (!g.strip().matches("[0-9]+|GPU-[0-9a-fA-F-]+|MIG-[0-9a-fA-F/-]+")) {
                    throw MedicException.badInput("--gpus: '" + g + "' is not a GPU index or UUID");
                }
                ids.add(g.strip());
            }
        }
        try {
            return new GpuPool(ids, gpusPerTrial, perGpu);
        } catch (IllegalArgumentException e) {
            throw MedicException.badInput(e.getMessage());
        }
    }

    private static void printTable(PrintStream out, List<TrialResult> results) {
        out.printf("%-6s %-32s %-9s %-18s %-28s %s%n", "TRIAL", "PARAMETERS", "ATTEMPTS", "ROOT FAILURE", "FIXES", "STATUS");
        for (TrialResult r : results) {
            out.printf("%-6d %-32s %-9d %-18s %-28s %s%n", r.trial().number(), r.trial().label(), r.attempts(),
                    r.rootFailure().isEmpty() ? "-" : r.rootFailure(), r.fixes().isEmpty() ? "-" : String.join(",", r.fixes()), r.status());
        }
    }

    /** Plain lines when not on a terminal; one status line, redrawn, on a terminal. */
    private static final class Progress implements SweepRunner.Events {
        private final PrintStream out;
        private final int total;
        private final boolean terminal;
        private final AtomicInteger running = new AtomicInteger();
        private final AtomicInteger done = new AtomicInteger();
        private final AtomicInteger failed = new AtomicInteger();
        private volatile String last = "";

        Progress(PrintStream out, int total, boolean terminal) {
            this.out = out;
            this.total = total;
            this.terminal = terminal;
        }

        @Override
        public synchronized void started(Trial t, List<String> gpus) {
            running.incrementAndGet();
            show("trial " + t.number() + "/" + total + " started: " + t.label() + (gpus.isEmpty() ? "" : " (GPU " + String.join(",", gpus) + ")"));
        }

        @Override
        public synchronized void finished(TrialResult r) {
            if (!r.status().startsWith("not started") && r.runId().length() > 0) {
                running.decrementAndGet();
            }
            done.incrementAndGet();
            if (!r.succeeded()) {
                failed.incrementAndGet();
            }
            show("trial " + r.trial().number() + "/" + total + " " + r.status() + (r.attempts() > 0 ? " after " + r.attempts()
                    + " attempt(s)" : "") + (r.fixes().isEmpty() ? "" : " (" + String.join(", ", r.fixes()) + ")"));
        }

        @Override
        public synchronized void breakerTripped(String failure, int inARow) {
            show("crash-loop breaker: " + inARow + " trials in a row failed with " + failure + "; starting no more trials");
        }

        private void show(String event) {
            last = event;
            if (terminal) {
                out.printf(Locale.ROOT, "\r\033[Kmedic: running %d, done %d/%d, failed %d | %s", running.get(), done.get(), total,
                        failed.get(), last);
            } else {
                out.println("medic: " + event);
            }
            out.flush();
        }

        void done() {
            if (terminal) {
                out.println();
            }
        }
    }
}
