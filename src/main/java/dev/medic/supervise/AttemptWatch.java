package dev.medic.supervise;

import dev.medic.backend.ExitStatus;
import dev.medic.backend.RunningAttempt;
import dev.medic.catalog.Catalog;
import dev.medic.compute.ContextProbe;
import dev.medic.facts.Attempt;
import dev.medic.facts.LogEvent;
import dev.medic.facts.RunSpec;
import dev.medic.facts.Signature;
import dev.medic.facts.StopRequest;
import dev.medic.journal.Event;
import dev.medic.journal.Journal;
import dev.medic.logs.AttemptLog;
import dev.medic.progress.ProgressTracker;
import dev.medic.rules.RuleInterrupted;
import dev.medic.util.LinkRefusedException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Supplier;


/**
 * Watches one started attempt to its end: hands its screened lines to the rules, stops it when a
 * rule asks or a time limit passes, journals its progress, its stop and its end, and says how it
 * ended. What follows (finish, retry, escalate) is the supervisor's to decide.
 */
final class AttemptWatch {
    /** How often at most a {@code progress} record is journaled while a run keeps printing progress. */
    private static final long PROGRESS_RECORD_EVERY_MS = 10_000;

    /** How an attempt ended, as far as what follows is concerned. */
    sealed interface Ended {
    }

    /** medic was told to stop (SIGINT, SIGTERM). */
    record Interrupted() implements Ended {
    }

    /** Its log could not be written: nothing can be judged from it. */
    record LogWriteFailed(String message) implements Ended {
    }

    /** The scheduler lost it (preempted, or its node failed): not the run's fault. */
    record Lost(String state) implements Ended {
    }

    /** It ended and the rules judged it. */
    record Judged(Attempt attempt, Verdict verdict) implements Ended {
    }

    private final Journal journal;
    private final BlockingQueue<Object> queue;
    private final RunOptions options;
    private final TimeLimits limits;
    private final Knowledge knowledge;
    private final RunFolder folder;
    private final ContextProbe probe;
    private final Supplier<String> stopSignal;
    private final BiFunction<Catalog, Attempt, AttemptJudge> judges;
    /** The current attempt's progress, and the last progress update journaled and when. */
    private ProgressTracker progress = new ProgressTracker();
    private long progressRecorded = -1;
    private long progressRecordedAt;

    AttemptWatch(Journal journal, BlockingQueue<Object> queue, RunOptions options, TimeLimits limits, Knowledge knowledge,
                 RunFolder folder, ContextProbe probe, Supplier<String> stopSignal, BiFunction<Catalog, Attempt, AttemptJudge> judges) {
        this.journal = journal;
        this.queue = queue;
        this.options = options;
        this.limits = limits;
        this.knowledge = knowledge;
        this.folder = folder;
        this.probe = probe;
        this.stopSignal = stopSignal;
        this.judges = judges;
    }

    /** A new attempt's progress tracker, which its output fills. */
    ProgressTracker newProgress() {
        progress = new ProgressTracker();
        progressRecorded = -1;
        return progress;
    }

    /** The current (or last) attempt's progress. */
    ProgressTracker progress() {
        return progress;
    }

    /**
     * Watches attempt {@code n} until it has ended and its end is journaled; {@code earlier} are lines
     * the rules must see first (an adopted attempt's), {@code elapsedMs} how long it has been running.
     */
    Ended watch(int n, RunSpec spec, Attempt attempt, RunningAttempt running, AttemptOutput output, AttemptLog log,
                Path logPath, Catalog catalog, List<LogEvent> earlier, long elapsedMs) throws InterruptedException {
        try {
            return superviseAttempt(n, spec, attempt, running, output, log, logPath, catalog, earlier, elapsedMs);
        } catch (LinkRefusedException e) {
            // met once the attempt's processes are collected (joining its log, a fix's files): the run ends
            throw e;
        } catch (RuleInterrupted e) {
            // SIGINT/SIGTERM while a rule ran on: the rule is left behind, the run ends as interrupted
            journal.write(new Event.AttemptStopping(null, n, "medic received SIG" + stopSignal.get() + " while a rule was running ("
                    + e.getMessage() + ")", null));
            stopQuietly(running);
            forgetResumeState(n, running);
            return new Interrupted();
        } catch (RuntimeException e) {
            // the rules broke (did not compile, threw, never settled): nothing can judge this attempt
            stopQuietly(running);
            journal.write(new Event.RulesFailed(null, n, String.valueOf(e.getMessage())));
            forgetResumeState(n, running);
            throw e;
        }
    }

    /** The attempt's end is journaled (or its run ends without judging it): nothing is left to take up. */
    void forgetResumeState(int n, RunningAttempt running) {
        running.journaled();
        try {
            Files.deleteIfExists(folder.attemptState(n));
        } catch (IOException e) {
            // a stale state file: it names an attempt that is journaled as ended, so nothing reads it
        }
    }

    private Ended superviseAttempt(int n, RunSpec spec, Attempt attempt, RunningAttempt running, AttemptOutput output,
                                   AttemptLog log, Path logPath, Catalog catalog, List<LogEvent> earlier, long elapsedMs)
            throws InterruptedException {
        AttemptJudge judge = null;
        List<LogEvent> backlog = new ArrayList<>(earlier);
        try {
            limits.attemptStarted(elapsedMs);
            boolean exited = false;
            CompletableFuture<Void> stopping = null;
            String stopReason = null;
            IOException writeError = null;
            LinkRefusedException refused = null;
            while (!exited) {
                if (!running.started()) {
                    // queued, not running: a scheduler's queue is not a stall or a slow attempt
                    limits.attemptStarted(0);
                }
                if (judge == null && knowledge.rulesReady()) {
                    judge = judges.apply(catalog, attempt);
                    for (LogEvent e : backlog) {
                        stopping = handleStop(judge.onLine(e), attempt, running, stopping);
                    }
                    backlog.clear();
                }
                Object item = queue.poll(limits.pollMillis(output.lastOutputMillis(), progress.lastAdvancedMillis()), TimeUnit.MILLISECONDS);
                if (item instanceof LogEvent e) {
                    if (judge == null) {
                        backlog.add(e);
                    } else {
                        stopping = handleStop(judge.onLine(e), attempt, running, stopping);
                    }
                } else if (item instanceof AttemptOutput.Exited) {
                    exited = true;
                } else if (item instanceof AttemptOutput.WriteFailed w && writeError == null) {
                    writeError = w.error();
                    journal.write(new Event.LogWriteFailed(null, n, logPath.toString(), String.valueOf(w.error().getMessage())));
                    stopping = stopAsync(running, stopping);
                }
                output.flushProgress();
                recordProgress(n);
                if (stopping == null && running.exitStatus() == null) {
                    stopReason = overdue(output, attempt);
                    if (stopReason != null) {
                        journal.write(new Event.AttemptStopping(null, n, stopReason, null));
                        stopping = stopAsync(running, null);
                    }
                }
                if (running.exitStatus() != null && !exited && queue.isEmpty()) {
                    exited = true;
                }
            }
            running.close(options.killGrace());
            drain(judge, backlog, attempt, running);
            output.flushProgress();
            recordProgress(n);
            if (judge == null) {
                judge = judges.apply(catalog, attempt);
                for (LogEvent e : backlog) {
                    judge.onLine(e);
                }
            }
            ExitStatus status = running.exitStatus();
            long durationMs = limits.attemptMillis();
            if (status.timedOut()) {
                attempt.markTimedOut();
            }
            attempt.finish(status.exitCode(), status.signal(), status.oomKilled(), durationMs, output.lastOutputMillis());
            if (status.oomChecked()) {
                attempt.recordOomCheck(status.oomRecords());
            }
            try {
                log.close(); // a size-limited log joins its last part now, so the record below says what it dropped
            } catch (IOException e) {
                refused = linkRefused(e);
                if (writeError == null && refused == null) {
                    journal.write(new Event.Warning(null, n, "attempt log: " + e.getMessage()));
                }
            }
            if (writeError != null && refused == null) {
                refused = linkRefused(writeError);
            }
            journal.write(new Event.AttemptFinished(null, n, status.exitCode(), status.signal(), status.state(), durationMs, log.lines(),
                    log.bytes(), log.droppedBytes(), log.droppedLines(), attempt.isTimedOut(), attempt.isStalled(), attempt.getStoppedFor(),
                    progress.toFields(), attempt.getOomEvidence()));
            forgetResumeState(n, running);
            if (refused != null) {
                throw refused;
            }
            if (stopSignal.get() != null) {
                return new Interrupted();
            }
            for (Signature sig : catalog.signatures()) {
                String slow = sig.takeGaveUpWarning();
                if (slow != null) {
                    journal.write(new Event.Warning(null, n, slow));
                }
            }
            for (String slow : catalog.progress().takeGaveUpWarnings()) {
                journal.write(new Event.Warning(null, n, slow));
            }
            if (writeError != null) {
                return new LogWriteFailed("cannot write the attempt log " + logPath + ": " + writeError.getMessage());
            }
            if (status.lost()) {
                return new Lost(status.state());
            }
            return new Judged(attempt, judge.finish(spec, probe.probe(spec.getWorkdir(), spec.getEnv())));
        } finally {
            if (judge != null) {
                judge.close();
            }
        }
    }

    /** The refused link behind a failed write of the attempt log, if that is what it was. */
    private static LinkRefusedException linkRefused(IOException e) {
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof LinkRefusedException refused) {
                return refused;
            }
        }
        return null;
    }

    private CompletableFuture<Void> handleStop(StopRequest stop, Attempt attempt, RunningAttempt running,
                                               CompletableFuture<Void> stopping) {
        if (stop == null || stopping != null) {
            return stopping;
        }
        attempt.markStoppedFor(stop.getFailureId());
        journal.write(new Event.AttemptStopping(null, attempt.getNumber(), stop.getReason(), stop.getFailureId()));
        return stopAsync(running, null);
    }

    /** Why the attempt must stop now (a limit passed or a stop was requested), or null. */
    private String overdue(AttemptOutput output, Attempt attempt) {
        if (stopSignal.get() != null) {
            return "medic received SIG" + stopSignal.get();
        }
        TimeLimits.Passed passed = limits.passed(output.lastOutputMillis(), progress.lastAdvancedMillis(), () -> progress.toFields()
                .entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(java.util.stream.Collectors.joining(", ")));
        if (passed == null) {
            return null;
        }
        if (passed.timedOut()) {
            attempt.markTimedOut();
        } else {
            attempt.markStalled();
        }
        return passed.reason();
    }

    /** Journals the attempt's progress when it changed: the first time at once, then at most every 10 s. */
    private void recordProgress(int n) {
        long update = progress.lastUpdateMillis();
        long now = System.currentTimeMillis();
        if (update < 0 || update == progressRecorded || (progressRecorded >= 0 && now - progressRecordedAt < PROGRESS_RECORD_EVERY_MS)) {
            return;
        }
        progressRecorded = update;
        progressRecordedAt = now;
        journal.write(new Event.Progress(null, n, progress.toFields()));
    }

    private CompletableFuture<Void> stopAsync(RunningAttempt running, CompletableFuture<Void> already) {
        if (already != null) {
            return already;
        }
        return CompletableFuture.runAsync(() -> {
            try {
                running.stop(options.killGrace());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /** Stops an attempt that is still running, then ends it as one that exited. */
    void stopQuietly(RunningAttempt running) throws InterruptedException {
        running.stop(options.killGrace());
        running.close(options.killGrace());
    }

    private void drain(AttemptJudge judge, List<LogEvent> backlog, Attempt attempt, RunningAttempt running) {
        Object item;
        while ((item = queue.poll()) != null) {
            if (item instanceof LogEvent e) {
                if (judge == null) {
                    backlog.add(e);
                } else {
                    judge.onLine(e);
                }
            }
        }
    }

}
