package dev.medic.metrics;

import dev.medic.journal.Event;
import dev.medic.journal.RunStatus;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A Prometheus text-format file for node_exporter's textfile collector, rewritten after every
 * journal record of the runs it watches: runs by status, attempts, root failures and applied fixes
 * by id, and the last progress (step, loss, ...) the run reported. The file is replaced atomically
 * (a temporary file in the same folder, then a rename), so the collector never reads half of it.
 * It is a listener for one run ({@link #accept}); a sweep gives each trial its own {@link #forRun()}
 * and the file holds every trial, told apart by {@code run_id}. A file that cannot be written is
 * reported once through {@code warn} and never stops a run.
 */
public final class MetricsFile implements Consumer<Event> {
    /** Every status a run can be in, so that each appears in {@code medic_runs}, as 0 when no run has it. */
    static final List<RunStatus> STATUSES = Stream.concat(Stream.of(RunStatus.RUNNING),
            Stream.of(RunStatus.values()).filter(RunStatus::ended)).toList();

    private final Path path;
    private final Consumer<String> warn;
    private final Map<String, RunMetrics> runs = new LinkedHashMap<>();
    private final Consumer<Event> single;
    private boolean warned;

    public MetricsFile(Path path, Consumer<String> warn) {
        this.path = path.toAbsolutePath();
        this.warn = warn;
        this.single = forRun();
    }

    public Path path() {
        return path;
    }

    /** The records of the one run this file is for. */
    @Override
    public void accept(Event e) {
        single.accept(e);
    }

    /**
     * A listener for one more run's records. Only {@code run_started} names the run, so each run
     * needs a listener of its own that remembers which run it is.
     */
    public Consumer<Event> forRun() {
        return new Consumer<>() {
            private RunMetrics run;

            @Override
            public void accept(Event e) {
                synchronized (MetricsFile.this) {
                    // a resumed run's medic starts with run_resumed: its records count from there
                    String id = e instanceof Event.RunStarted s ? s.runId() : e instanceof Event.RunResumed r ? r.runId() : "";
                    if (!"".equals(id)) {
                        run = new RunMetrics(String.valueOf(id));
                        runs.put(run.runId, run);
                    }
                    if (run == null) {
                        return;
                    }
                    run.apply(e);
                    write();
                }
            }
        };
    }

    /** The file's text as it stands. */
    synchronized String render() {
        TextFormat t = new TextFormat();
        TextFormat.Family byStatus = t.family("medic_runs", "gauge", "Runs in this file by status.");
        for (RunStatus s : STATUSES) {
            byStatus.sample(runs.values().stream().filter(r -> r.status() == s).count(), "status", s.word());
        }
        TextFormat.Family status = t.family("medic_run_status", "gauge", "1 for the run's current status.");
        TextFormat.Family started = t.family("medic_run_start_time_seconds", "gauge", "When the run started, in seconds since the epoch.");
        TextFormat.Family lastEvent = t.family("medic_run_last_event_time_seconds", "gauge",
                "When the run's journal last recorded an event, in seconds since the epoch.");
        TextFormat.Family attempts = t.family("medic_attempts_total", "counter", "Attempts started, requeued ones included.");
        TextFormat.Family requeues = t.family("medic_requeues_total", "counter", "Attempts the scheduler lost (preempted, node failure) and medic ran again.");
        TextFormat.Family warnings = t.family("medic_warnings_total", "counter", "Warnings in the run's journal.");
        TextFormat.Family exitCode = t.family("medic_last_exit_code", "gauge", "Exit code of the run's last finished attempt.");
        TextFormat.Family failures = t.family("medic_failures_total", "counter", "Attempts that ended with this root failure.");
        TextFormat.Family fixes = t.family("medic_fixes_total", "counter", "Fixes applied, by fix id.");
        TextFormat.Family step = t.family("medic_last_step", "gauge", "Last training step the run reported.");
        TextFormat.Family totalSteps = t.family("medic_total_steps", "gauge", "Total training steps the run reported.");
        TextFormat.Family epoch = t.family("medic_last_epoch", "gauge", "Last epoch the run reported.");
        TextFormat.Family loss = t.family("medic_last_loss", "gauge", "Last loss the run reported (NaN when it diverged).");
        TextFormat.Family lr = t.family("medic_last_learning_rate", "gauge", "Last learning rate the run reported.");
        TextFormat.Family throughput = t.family("medic_last_throughput", "gauge", "Last throughput the run reported, in the unit named by the unit label.");
        TextFormat.Family progressTime = t.family("medic_last_progress_time_seconds", "gauge",
                "When the run last reported progress, in seconds since the epoch.");
        for (RunMetrics r : runs.values()) {
            String id = r.runId;
            status.sample(1, "run_id", id, "status", r.status().word());
            sampleKnown(started, r.startTime, id);
            sampleKnown(lastEvent, r.lastEventTime, id);
            attempts.sample(r.attempts, "run_id", id);
            requeues.sample(r.requeues, "run_id", id);
            warnings.sample(r.warnings, "run_id", id);
            sampleKnown(exitCode, r.lastExitCode, id);
            r.failures.forEach((f, n) -> failures.sample(n, "run_id", id, "failure", f));
            r.fixes.forEach((f, n) -> fixes.sample(n, "run_id", id, "fix", f));
            RunMetrics.Progress p = r.progress;
            sampleKnown(step, p.step, id);
            sampleKnown(totalSteps, p.totalSteps, id);
            sampleKnown(epoch, p.epoch, id);
            sampleKnown(loss, p.loss, id);
            sampleKnown(lr, p.learningRate, id);
            if (p.throughput != null) {
                throughput.sample(p.throughput, "run_id", id, "unit", p.throughputUnit);
            }
            sampleKnown(progressTime, p.time, id);
        }
        return t.render();
    }

    /** A sample only for a value the run has reported (NaN from an unparsable timestamp counts as none). */
    private static void sampleKnown(TextFormat.Family f, Double v, String runId) {
        if (v != null) {
            f.sample(v, "run_id", runId);
        }
    }

    private static void sampleKnown(TextFormat.Family f, double time, String runId) {
        if (!Double.isNaN(time)) {
            f.sample(time, "run_id", runId);
        }
    }

    private void write() {
        Path tmp = null;
        try {
            // the collector reads only *.prom: the temporary name must not end so
            tmp = Files.createTempFile(path.getParent(), "." + path.getFileName(), ".tmp");
            Files.writeString(tmp, render(), StandardCharsets.UTF_8);
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: its default permissions stay
            }
            try {
                Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
        } catch (IOException | RuntimeException e) {
            if (!warned) {
                warned = true;
                warn.accept("cannot write the metrics file " + path + ": " + describe(e) + " (the run goes on; this is not repeated)");
            }
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the folder refused the write already; nothing more to do
                }
            }
        }
    }

    private String describe(Exception e) {
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "the folder " + path.getParent() + " does not exist";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied in " + path.getParent();
        }
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
