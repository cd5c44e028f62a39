package dev.medic.supervise;

import dev.medic.ExitCodes;
import dev.medic.MedicException;
import dev.medic.Version;
import dev.medic.backend.AttemptTag;
import dev.medic.backend.ExitStatus;
import dev.medic.backend.RunBackend;
import dev.medic.backend.RunningAttempt;
import dev.medic.catalog.Catalog;
import dev.medic.compute.ContextProbe;
import dev.medic.discover.DiscoveryCache;
import dev.medic.discover.FlagDiscovery;
import dev.medic.discover.HelpProbe;
import dev.medic.facts.Attempt;
import dev.medic.facts.Evidence;
import dev.medic.facts.Failure;
import dev.medic.facts.FixApplied;
import dev.medic.facts.FixDecision;
import dev.medic.facts.FixOption;
import dev.medic.facts.LogEvent;
import dev.medic.facts.PastFailure;
import dev.medic.facts.RunSpec;
import dev.medic.facts.Signature;
import dev.medic.facts.StopRequest;
import dev.medic.fix.FixAction;
import dev.medic.fix.FixContext;
import dev.medic.fix.FixExecutor;
import dev.medic.fix.FixPlan;
import dev.medic.fix.FixRegistry;
import dev.medic.fix.ResumeFromCheckpoint;
import dev.medic.journal.Event;
import dev.medic.journal.Journal;
import dev.medic.journal.RunStatus;
import dev.medic.logs.AttemptLog;
import dev.medic.logs.Redactor;
import dev.medic.logs.Screen;
import dev.medic.logs.ScreenedLog;
import dev.medic.notify.Escalation;
import dev.medic.notify.Notifier;
import dev.medic.progress.ProgressTracker;
import dev.medic.rules.RuleInterrupted;
import dev.medic.rules.RuleLimits;
import dev.medic.util.Durations;
import dev.medic.util.Hosts;
import dev.medic.util.LinkRefusedException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The attempt loop: start an attempt, feed its output to the rules, judge its end, apply the fix
 * the rules chose, wait the backoff, and go again, until success, escalation, the attempt or time
 * budget, or a stop request. Everything it does is recorded in the run's journal first.
 */
public final class Supervisor {
    private static final int QUEUE_CAPACITY = 10_000;
    /** How often at most a {@code progress} record is journaled while a run keeps printing progress. */
    private static final long PROGRESS_RECORD_EVERY_MS = 10_000;
    /** After the main process exits, how long its output may take to close before leftovers are stopped. */
    private static final Duration OUTPUT_AFTER_EXIT = Duration.ofMillis(500);

    private final RunBackend backend;
    private final Knowledge knowledge;
    private final Fixer fixer;
    private final List<Notifier> notifiers;
    private final RunOptions options;
    private final ContextProbe probe = new ContextProbe();
    private final ActionRunner actions = new ActionRunner();
    private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>(QUEUE_CAPACITY);
    private final List<java.util.function.Consumer<Event>> listeners = new ArrayList<>();
    private volatile String stopSignal;
    private dev.medic.backend.OutputSink echo;

    private RunFolder folder;
    private Journal journal;
    private Redactor redactor;
    private final List<PastFailure> pastFailures = new ArrayList<>();
    private final List<FixApplied> applied = new ArrayList<>();
    private final List<String> attemptSummaries = new ArrayList<>();
    private final List<String> startWarnings = new ArrayList<>();
    private final List<String> secretValues = new ArrayList<>();
    private java.util.function.BiConsumer<Integer, RunSpec> specListener = (n, spec) -> { };
    private long runStartNanos;
    /** The current attempt's progress, and the last progress update journaled and when. */
    private ProgressTracker progress = new ProgressTracker();
    private long progressRecorded;
    private long progressRecordedAt;
    private boolean finished;
    /** The attempt under way, or the last one; and the number of the last attempt that did start. */
    private int attemptNo;
    private int attemptsStarted;
    /** At most this many lines of an adopted attempt's log that a signature may match are given to the rules again. */
    private static final int ADOPTED_LINES = 10_000;
    /** Attempts that do not count against --max-attempts (followed by a fix that is not the run's fault). */
    private int freeAttempts;
    /** The attempt a resumed run takes up from the supervisor that died, or null. */
    private Adoption adoption;

    private record Adoption(int attempt, RunBackend.Adoptable adoptable, Map<String, String> started) {
    }

    public Supervisor(RunBackend backend, Knowledge knowledge, FixRegistry fixes, List<Notifier> notifiers,
                      RunOptions options) {
        this.backend = backend;
        this.knowledge = knowledge;
        this.fixer = new Fixer(fixes);
        this.notifiers = List.copyOf(notifiers);
        this.options = options;
    }

    /** Sees every journal record as it is written (the console uses this). Call before {@link #run}. */
    public void addListener(java.util.function.Consumer<Event> listener) {
        listeners.add(listener);
    }

    /**
     * Sees each attempt's spec just before it starts (a sweep gives back the GPUs a fix took a
     * trial off). Call before {@link #run}.
     */
    public void onAttemptSpec(java.util.function.BiConsumer<Integer, RunSpec> listener) {
        specListener = listener;
    }

    /** Values to mask wherever they appear, besides the environment's secrets (a sweep trial's secret parameters). Call before {@link #run}. */
    public void maskValues(java.util.Collection<String> values) {
        secretValues.addAll(values);
    }

    /** A warning to journal as the run starts (e.g. Docker unreachable, running locally instead). */
    public void warnAtStart(String message) {
        startWarnings.add(message);
    }

    /** Also hands the run's raw output to {@code sink} (for showing it live). Call before {@link #run}. */
    public void echoOutputTo(dev.medic.backend.OutputSink sink) {
        this.echo = sink;
    }

    /** Asks the run to stop: the attempt's processes are stopped and the run ends as interrupted. */
    public void requestStop(String signal) {
        stopSignal = signal;
        queue.offer(new Wake());
    }

    private record Wake() {
    }

    /** Runs {@code initial} in a new run folder under the run options' run dir. */
    public RunResult run(RunSpec initial) throws IOException, InterruptedException {
        return run(initial, RunFolder.create(options.runDir()));
    }

    /** Runs {@code initial} in {@code folder}, made beforehand (a detached run's parent made it to print its id). */
    public RunResult run(RunSpec initial, RunFolder folder) throws IOException, InterruptedException {
        return supervise(folder, initial, false);
    }

    /**
     * Continues a run from its journal: the next attempt runs the command with every applied fix,
     * numbered after the last one, with the budget that is left; the ladders remember what was tried.
     * {@code base} gives the environment and backend settings under the fixes' (see {@link RunState#nextSpec}).
     */
    public RunResult resume(RunFolder folder, RunSpec base) throws IOException, InterruptedException {
        return supervise(folder, base, true);
    }

    private RunResult supervise(RunFolder runFolder, RunSpec given, boolean resume) throws IOException, InterruptedException {
        runStartNanos = System.nanoTime();
        backend.prepare();
        Catalog catalog = knowledge.start();
        folder = runFolder;
        try (RunLock lock = RunLock.acquire(folder.dir())) {
            // read under the lock: another medic may have resumed and ended the run meanwhile
            RunState resumed = resume ? RunState.read(folder.dir()).requireResumable(options.maxAttempts()) : null;
            RunSpec initial = resume ? resumed.nextSpec(given) : given;
            Map<String, String> ownEnv = System.getenv();
            redactor = Redactor.fromEnvironments(ownEnv, initial.getEnv()).plusValues(secretValues)
                    .plusValues(Redactor.argvSecrets(initial.getArgv()));
            journal = new Journal(folder.journal(), redactor);
            listeners.forEach(journal::addListener);
            if (options.discover()) {
                // the --help probe runs a process here: only where the attempts run here too
                HelpProbe probe = "local".equals(backend.name()) ? new HelpProbe(HelpProbe.DEFAULT_LIMIT) : null;
                fixer.discoverWith(new FlagDiscovery(new DiscoveryCache(folder.files(), folder.dir()), probe,
                        e -> journal.write(new Event.FlagsDiscovered(null, attemptNo, e.script(), e.method(), e.flags(), e.whyNot()))));
            }
            try {
                int first = resumed == null ? started(initial, catalog) : resumed(initial, resumed, lock);
                if (lock.advisory()) {
                    journal.write(new Event.Warning(null, first - 1, "the file system of " + folder.dir()
                            + " has no file locks: only the pid in " + RunLock.FILE + " keeps a second medic off this run"));
                }
                return loop(first, initial, ownEnv);
            } catch (RuntimeException e) {
                if (e instanceof LinkRefusedException refused && !finished) {
                    // something in the run folder that medic did not make: the run ends, and says where
                    journal.write(new Event.LinkRefused(null, attemptNo, refused.path().toString(), refused.getMessage()));
                }
                if (!finished) {
                    finish(RunStatus.FAILED, e instanceof LinkRefusedException ? attemptsStarted : 0,
                            e instanceof MedicException m ? m.exitCode() : ExitCodes.INTERNAL_ERROR);
                }
                throw e;
            } finally {
                journal.close();
            }
        }
    }

    /** Journals a new run's start; returns the first attempt's number. */
    private int started(RunSpec initial, Catalog firstCatalog) {
        journal.write(new Event.RunStarted(null, 0, FolderMark.FORMAT, folder.runId(), initial.getArgv(),
                initial.getWorkdir().toString(), Version.get(), backend.name(), knowledge.rulesLocation().describe(),
                firstCatalog.origin(), folder.dir().toString(), options.maxAttempts(), options.dryRun()));
        for (String w : startWarnings) {
            journal.write(new Event.Warning(null, 0, w));
        }
        return 1;
    }

    /** Journals a resumed run's new start, takes its history back, stops its leftovers; returns the next attempt's number. */
    private int resumed(RunSpec next, RunState state, RunLock lock) throws InterruptedException {
        int last = state.lastAttempt();
        attemptsStarted = last;
        journal.write(new Event.RunResumed(null, last, folder.runId(), next.getArgv(), next.envChangedFrom(System.getenv()),
                Version.get(), backend.name(), state.finishedStatus() == null ? null : state.finishedStatus().word(),
                lock.takenOverFrom().map(RunLock.Owner::describe).orElse(null), options.maxAttempts(), last - state.freeAttempts()));
        int open = state.abandonedAttempt();
        RunBackend.Adoptable adoptable = open > 0
                ? backend.adoptable(new AttemptTag(folder.runId(), open, folder.dir()), state.abandonedStart()) : null;
        String abandoned = "its supervisor stopped before the attempt ended";
        if (adoptable != null) {
            try {
                AttemptLog.checkState(folder.attemptState(open));
            } catch (IOException e) {
                // the log cannot go on from a state nobody can trust: the attempt is stopped below, as a leftover
                adoptable = null;
                abandoned = "it cannot be taken up: " + e.getMessage();
            }
        }
        if (adoptable != null) {
            // still running, or ended with its output and status kept: it is judged as if nobody had died
            adoption = new Adoption(open, adoptable, state.abandonedStart());
        } else if (open > 0) {
            journal.write(new Event.AttemptAbandoned(null, open, abandoned));
        }
        for (String w : startWarnings) {
            journal.write(new Event.Warning(null, last, w));
        }
        // only this run's: another run's supervisor may have died too, and its training is not this run's to stop
        for (String line : backend.stopLeftovers(new AttemptTag(folder.runId(), 0, folder.dir()), adoption == null ? 0 : open)) {
            journal.write(new Event.LeftoverStopped(null, last, line));
        }
        if (open > 0 && adoption == null) {
            backend.discard(new AttemptTag(folder.runId(), open, folder.dir()), state.abandonedStart());
        }
        pastFailures.addAll(state.pastFailures());
        applied.addAll(state.applied());
        attemptSummaries.addAll(state.summaries());
        freeAttempts = state.freeAttempts() - (adoption == null ? 0 : 1);
        return adoption == null ? last + 1 : open;
    }

    private RunResult loop(int first, RunSpec initial, Map<String, String> ownEnv) throws IOException, InterruptedException {
        RunSpec spec = initial;
        for (int n = first; ; n++) {
            if (n > first) {
                for (String note : knowledge.refresh()) {
                    String message = note.replaceFirst("^warning: ", "");
                    journal.write(note.startsWith("warning: ") ? new Event.Warning(null, n, message) : new Event.Reloaded(null, n, message));
                }
            }
            redactor = redactor.plus(spec.getEnv());
            journal.setRedactor(redactor);
            AttemptRun outcome = adoption != null && adoption.attempt() == n ? adoptAttempt(n, spec) : runAttempt(n, spec, ownEnv);
            if (outcome.result != null) {
                return outcome.result;
            }
            spec = outcome.next;
            Duration backoff = options.backoffBefore(n + 1);
            Duration wait = outcome.delay.compareTo(backoff) > 0 ? outcome.delay : backoff;
            if (!wait.isZero()) {
                Duration left = timeLeft();
                if (left != null && left.compareTo(wait) <= 0) {
                    return escalate(n, null, "the total timeout (" + Durations.format(options.totalTimeout())
                            + ") leaves no time for another attempt", spec);
                }
                journal.write(new Event.Backoff(null, n, wait.toMillis()));
                if (sleepInterruptibly(wait)) {
                    return finishInterrupted(n);
                }
            }
            if (stopSignal != null) {
                return finishInterrupted(n);
            }
        }
    }

    /** The end of one attempt: either the run's result, or the spec of the next attempt. */
    private record AttemptRun(RunResult result, RunSpec next, Duration delay) {
        AttemptRun(RunResult result, RunSpec next) {
            this(result, next, Duration.ZERO);
        }
    }

    private AttemptRun runAttempt(int n, RunSpec spec, Map<String, String> ownEnv)
            throws IOException, InterruptedException {
        attemptNo = n;
        Catalog catalog = knowledge.catalog();
        Attempt attempt = new Attempt(n, spec, System.currentTimeMillis());
        Path logPath = folder.attemptLog(n);
        queue.clear();
        AttemptLog log = new AttemptLog(logPath, options.maxLogBytes());
        try {
            if (backend.adopts()) {
                log.keepResumeState(folder.attemptState(n));
            }
            progress = new ProgressTracker();
            progressRecorded = -1;
            // the screen is built once the child runs: its output waits in the spool meanwhile
            AttemptOutput output = new AttemptOutput(n, log, catalog.progress(), progress, queue, options.maxLine(), echo);
            specListener.accept(n, spec);
            RunningAttempt running = backend.start(spec, new AttemptTag(folder.runId(), n, folder.dir()), output);
            // the record first: a supervisor killed from here on leaves a journal its resume can adopt the attempt from
            attemptsStarted = n;
            journal.write(new Event.AttemptStarted(null, n, spec.getArgv(), spec.envChangedFrom(ownEnv), running.pid(), running.handle(),
                    logPath.toString(), running.adoptionFields()));
            knowledge.beginRules();
            try {
                output.screenWith(new Screen(catalog.signatures()));
            } catch (RuntimeException e) {
                output.screenWith(new Screen(List.of())); // lets the output drain while the attempt is stopped
                stopQuietly(running);
                throw e;
            }
            probe.prefetch(spec.getEnv());
            return supervised(n, spec, attempt, running, output, log, logPath, catalog, List.of(), 0);
        } finally {
            try {
                log.close();
            } catch (IOException e) {
                // a full disk: the write failure was already reported and decided on
            }
        }
    }

    /**
     * Takes up attempt {@code n}, which a supervisor that died left running (or which ended since):
     * its log goes on from where that supervisor's resume state says it got, the lines already in
     * the log are screened again for the rules, its output is followed from there, and its end is
     * judged and journaled as any attempt's. Its time limits count from its start.
     */
    private AttemptRun adoptAttempt(int n, RunSpec spec) throws IOException, InterruptedException {
        Catalog catalog = knowledge.catalog();
        Path logPath = folder.attemptLog(n);
        queue.clear();
        AttemptLog log = AttemptLog.resume(logPath, options.maxLogBytes(), folder.attemptState(n));
        try {
            long startedAt = startMillis(adoption.started().get("ts"));
            Attempt attempt = new Attempt(n, spec, startedAt);
            progress = new ProgressTracker();
            progressRecorded = -1;
            attemptNo = n;
            attemptsStarted = n;
            Screen screen = new Screen(catalog.signatures());
            // what the killed supervisor had read is judged again, as a replay judges a saved log; the newest
            // lines only, so that a log of days does not fill the heap before the rules see any of it
            ArrayDeque<LogEvent> earlier = new ArrayDeque<>();
            long[] skipped = {0};
            Replayer.events(logPath, options.maxLine(), screen, ScreenedLog.Reading.sequential(), n, e -> {
                if (earlier.size() == ADOPTED_LINES) {
                    earlier.removeFirst();
                    skipped[0]++;
                }
                earlier.addLast(e);
            });
            if (skipped[0] > 0) {
                journal.write(new Event.Warning(null, n, "taking up attempt " + n + ": the rules see the last "
                        + ADOPTED_LINES + " of the " + (skipped[0] + ADOPTED_LINES) + " lines of its log that a signature may match"));
            }
            AttemptOutput output = new AttemptOutput(n, log, screen, catalog.progress(), progress, queue, options.maxLine(), echo);
            output.outputSeenAt(adoption.adoptable().lastOutputMillis());
            long stdoutFrom = log.savedBytes(dev.medic.backend.OutputSink.STDOUT);
            long stderrFrom = log.savedBytes(dev.medic.backend.OutputSink.STDERR);
            specListener.accept(n, spec);
            RunningAttempt running = adoption.adoptable().follow(stdoutFrom, stderrFrom, output);
            knowledge.beginRules();
            journal.write(new Event.AttemptAdopted(null, n, running.pid(), running.handle(), logPath.toString(), log.lines(), stdoutFrom,
                    stderrFrom));
            return supervised(n, spec, attempt, running, output, log, logPath, catalog, new ArrayList<>(earlier),
                    System.currentTimeMillis() - startedAt);
        } finally {
            adoption = null;
            try {
                log.close();
            } catch (IOException e) {
                // a full disk: the write failure was already reported and decided on
            }
        }
    }

    private static long startMillis(String ts) {
        try {
            return java.time.Instant.parse(ts).toEpochMilli();
        } catch (RuntimeException e) {
            return System.currentTimeMillis();
        }
    }

    private AttemptRun supervised(int n, RunSpec spec, Attempt attempt, RunningAttempt running, AttemptOutput output,
                                  AttemptLog log, Path logPath, Catalog catalog, List<LogEvent> earlier, long elapsedMs)
            throws InterruptedException {
        try {
            return superviseAttempt(n, spec, attempt, running, output, log, logPath, catalog, earlier, elapsedMs);
        } catch (LinkRefusedException e) {
            // met once the attempt's processes are collected (joining its log, a fix's files): the run ends
            throw e;
        } catch (RuleInterrupted e) {
            // SIGINT/SIGTERM while a rule ran on: the rule is left behind, the run ends as interrupted
            journal.write(new Event.AttemptStopping(null, n, "medic received SIG" + stopSignal + " while a rule was running ("
                    + e.getMessage() + ")", null));
            stopQuietly(running);
            forgetResumeState(n, running);
            return new AttemptRun(finishInterrupted(n), null);
        } catch (RuntimeException e) {
            // the rules broke (did not compile, threw, never settled): nothing can judge this attempt
            stopQuietly(running);
            journal.write(new Event.RulesFailed(null, n, String.valueOf(e.getMessage())));
            forgetResumeState(n, running);
            throw e;
        }
    }

    /** The attempt's end is journaled (or its run ends without judging it): nothing is left to take up. */
    private void forgetResumeState(int n, RunningAttempt running) {
        running.journaled();
        try {
            Files.deleteIfExists(folder.attemptState(n));
        } catch (IOException e) {
            // a stale state file: it names an attempt that is journaled as ended, so nothing reads it
        }
    }

    private AttemptRun superviseAttempt(int n, RunSpec spec, Attempt attempt, RunningAttempt running, AttemptOutput output,
                                        AttemptLog log, Path logPath, Catalog catalog, List<LogEvent> earlier, long elapsedMs)
            throws InterruptedException {
        AttemptJudge judge = null;
        List<LogEvent> backlog = new ArrayList<>(earlier);
        try {
            long startNanos = System.nanoTime() - elapsedMs * 1_000_000L;
            boolean exited = false;
            CompletableFuture<Void> stopping = null;
            String stopReason = null;
            IOException writeError = null;
            LinkRefusedException refused = null;
            while (!exited) {
                if (!running.started()) {
                    // queued, not running: a scheduler's queue is not a stall or a slow attempt
                    startNanos = System.nanoTime();
                }
                if (judge == null && knowledge.rulesReady()) {
                    judge = newJudge(catalog, attempt);
                    for (LogEvent e : backlog) {
                        stopping = handleStop(judge.onLine(e), attempt, running, stopping);
                    }
                    backlog.clear();
                }
                Object item = queue.poll(pollMillis(startNanos, output), TimeUnit.MILLISECONDS);
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
                    stopReason = overdue(startNanos, output, attempt);
                    if (stopReason != null) {
                        journal.write(new Event.AttemptStopping(null, n, stopReason, null));
                        stopping = stopAsync(running, null);
                    }
                }
                if (running.exitStatus() != null && !exited && queue.isEmpty()) {
                    exited = true;
                }
            }
            collectOutput(running);
            drain(judge, backlog, attempt, running);
            output.flushProgress();
            recordProgress(n);
            if (judge == null) {
                judge = newJudge(catalog, attempt);
                for (LogEvent e : backlog) {
                    judge.onLine(e);
                }
            }
            ExitStatus status = running.exitStatus();
            long durationMs = (System.nanoTime() - startNanos) / 1_000_000;
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
            if (stopSignal != null) {
                return new AttemptRun(finishInterrupted(n), null);
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
                return new AttemptRun(escalate(n, null, "cannot write the attempt log " + logPath + ": "
                        + writeError.getMessage(), spec), null);
            }
            if (status.lost()) {
                // preempted, or its node failed: not the run's fault, so the same command again, free
                freeAttempts++;
                if (freeAttempts > 3 * options.maxAttempts()) {
                    return new AttemptRun(escalate(n, null, "the scheduler lost the attempt " + freeAttempts + " times ("
                            + status.state() + ")", spec), null);
                }
                journal.write(new Event.Requeued(null, n, status.state()));
                attemptSummaries.add("attempt " + n + ": " + status.state() + " -> requeued");
                return new AttemptRun(null, spec);
            }
            Verdict verdict = judge.finish(spec, probe.probe(spec.getWorkdir(), spec.getEnv()));
            return decide(n, attempt, verdict, spec);
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

    private AttemptJudge newJudge(Catalog catalog, Attempt attempt) {
        return new AttemptJudge(knowledge.rules(), catalog, fixer, attempt, pastFailures, applied, folder.dir(),
                options.fixSettings(), new RuleLimits(options.ruleTimeout(), () -> stopSignal != null));
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
    private String overdue(long startNanos, AttemptOutput output, Attempt attempt) {
        if (stopSignal != null) {
            return "medic received SIG" + stopSignal;
        }
        long now = System.nanoTime();
        long elapsedMs = (now - startNanos) / 1_000_000;
        if (!options.attemptTimeout().isZero() && elapsedMs >= options.attemptTimeout().toMillis()) {
            attempt.markTimedOut();
            return "ran past the attempt timeout (" + Durations.format(options.attemptTimeout()) + ")";
        }
        if (!options.stallTimeout().isZero() && msUntilStall(startNanos, output) <= 0) {
            attempt.markStalled();
            return "no output for " + Durations.format(options.stallTimeout());
        }
        if (msUntilProgressStall() <= 0) {
            attempt.markStalled();
            return "no progress for " + Durations.format(options.progressTimeout()) + " (last: "
                    + progress.toFields().entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(java.util.stream.Collectors.joining(", "))
                    + ")";
        }
        Duration left = timeLeft();
        if (left != null && left.isZero()) {
            attempt.markTimedOut();
            return "ran past the total timeout (" + Durations.format(options.totalTimeout()) + ")";
        }
        return null;
    }

    /** Milliseconds until the stall limit is reached: counted from the last output, or from the end of the startup grace. */
    private long msUntilStall(long startNanos, AttemptOutput output) {
        long last = output.lastOutputMillis();
        long now = System.currentTimeMillis();
        long reference;
        if (last > 0) {
            reference = last;
        } else {
            long startedMs = now - (System.nanoTime() - startNanos) / 1_000_000;
            reference = startedMs + options.startupGrace().toMillis();
        }
        return reference + options.stallTimeout().toMillis() - now;
    }

    /** Milliseconds until --progress-timeout passes without progress; MAX_VALUE while it cannot (off, or no progress seen yet). */
    private long msUntilProgressStall() {
        long last = progress.lastAdvancedMillis();
        if (options.progressTimeout().isZero() || last < 0) {
            return Long.MAX_VALUE;
        }
        return last + options.progressTimeout().toMillis() - System.currentTimeMillis();
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

    private long pollMillis(long startNanos, AttemptOutput output) {
        // a deadline already passed has started the stop: waiting on it again would spin
        long wait = 250;
        long progressDue = msUntilProgressStall();
        if (progressDue > 0) {
            wait = Math.min(wait, progressDue);
        }
        if (!options.stallTimeout().isZero()) {
            long stallDue = msUntilStall(startNanos, output);
            if (stallDue > 0) {
                wait = Math.min(wait, stallDue);
            }
        }
        return wait;
    }

    private Duration timeLeft() {
        if (options.totalTimeout().isZero()) {
            return null;
        }
        long left = options.totalTimeout().toMillis() - (System.nanoTime() - runStartNanos) / 1_000_000;
        return Duration.ofMillis(Math.max(0, left));
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

    private void stopQuietly(RunningAttempt running) throws InterruptedException {
        running.stop(options.killGrace());
        collectOutput(running);
    }

    /** Waits for the output to close; stops leftovers that keep it open; gives up on escapees. */
    private void collectOutput(RunningAttempt running) throws InterruptedException {
        running.awaitOutput(OUTPUT_AFTER_EXIT);
        // leftover members of the attempt's process group do not outlive it
        running.stop(options.killGrace());
        if (!running.awaitOutput(Duration.ofSeconds(5))) {
            running.abandonOutput();
            running.awaitOutput(Duration.ofSeconds(5));
        }
        running.release();
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

    private AttemptRun decide(int n, Attempt attempt, Verdict verdict, RunSpec spec) throws InterruptedException {
        for (Failure f : verdict.failures()) {
            journal.write(new Event.Failure(null, n, f.getId(), f.isRoot(), fingerprint(f), f.getMatchCount(), evidence(f)));
        }
        Failure root = verdict.root();
        if (root == null && !attempt.isFailed()) {
            attemptSummaries.add("attempt " + n + ": succeeded");
            if (options.dryRun()) {
                return new AttemptRun(finish(RunStatus.DRY_RUN, n, ExitCodes.SUCCESS), null);
            }
            return new AttemptRun(finish(RunStatus.SUCCEEDED, n, ExitCodes.SUCCESS), null);
        }
        FixDecision d = verdict.decision();
        List<Event.Skipped> skipped = new ArrayList<>();
        for (FixOption o : verdict.options()) {
            if (o.isSkipped()) {
                skipped.add(new Event.Skipped(o.getStep(), o.getFixId(), o.getSkipReason()));
            }
        }
        String failureId = root == null ? null : root.getId();
        if (root != null) {
            pastFailures.add(new PastFailure(n, root.getId(), root.getFingerprint()));
        }
        if (d == null) {
            journal.write(new Event.Decision(null, n, failureId, FixDecision.ESCALATE, Map.of(), null, "no rule chose a fix", skipped));
            attemptSummaries.add("attempt " + n + ": " + describeFailure(root, attempt) + " -> escalate");
            return new AttemptRun(escalate(n, root, "no rule chose a fix for " + describeFailure(root, attempt), spec), null);
        }
        journal.write(new Event.Decision(null, n, failureId, d.getFixId(), d.getParams(), d.getStep(), d.getReason(), skipped));
        if (d.isEscalate()) {
            attemptSummaries.add("attempt " + n + ": " + describeFailure(root, attempt) + " -> escalate");
            if (options.dryRun()) {
                return new AttemptRun(finish(RunStatus.DRY_RUN, n, ExitCodes.RUN_FAILED), null);
            }
            return new AttemptRun(escalate(n, root, d.getReason(), spec), null);
        }
        FixPlan.Change change = withResume((FixPlan.Change) verdict.chosenPlan(), root, n);
        String summary = "attempt " + n + ": " + describeFailure(root, attempt) + " -> " + d.getFixId()
                + (change.changes().isEmpty() ? "" : " (" + String.join("; ", change.changes()) + ")");
        if (options.dryRun()) {
            attemptSummaries.add(summary);
            journal.write(new Event.FixPlanned(null, n, d.getFixId(), change.changes(), change.next().getArgv()));
            return new AttemptRun(finish(RunStatus.DRY_RUN, n, ExitCodes.RUN_FAILED), null);
        }
        FixExecutor executor = fixer.registry().get(d.getFixId());
        boolean free = executor != null && !executor.spendsAttemptBudget();
        if (!free && n - freeAttempts >= options.maxAttempts()) {
            attemptSummaries.add("attempt " + n + ": " + describeFailure(root, attempt) + " -> escalate (attempts spent)");
            return new AttemptRun(escalate(n, root, "the attempt budget is spent (--max-attempts "
                    + options.maxAttempts() + ")", spec), null);
        }
        Duration left = timeLeft();
        if (left != null && left.isZero()) {
            attemptSummaries.add("attempt " + n + ": " + describeFailure(root, attempt) + " -> escalate (time spent)");
            return new AttemptRun(escalate(n, root, "the total timeout (" + Durations.format(options.totalTimeout())
                    + ") is spent", spec), null);
        }
        attemptSummaries.add(summary);
        for (FixAction action : change.actions()) {
            ActionRunner.Result done = actions.run(action, backend, spec, folder.files(),
                    folder.dir().resolve("fix-" + n + "-" + d.getFixId() + ".log"));
            journal.write(new Event.FixAction(null, n, d.getFixId(), action.description(),
                    action instanceof FixAction.RunCommand c ? c.argv() : List.of(), done.ok(), done.summary(), done.tail(),
                    done.log() == null ? null : done.log().toString()));
            if (!done.ok()) {
                return new AttemptRun(escalate(n, root, d.getFixId() + " failed: " + action.description() + ": "
                        + done.summary(), spec), null, Duration.ZERO);
            }
        }
        RunSpec next = change.next();
        // a variable the fix sets is journaled before the next attempt starts: its secrets must be known now
        redactor = redactor.plus(next.getEnv());
        journal.setRedactor(redactor);
        // env_set, env_unset and backend_settings: what --resume needs to rebuild the next command exactly
        journal.write(new Event.FixApplied(null, n, d.getFixId(), change.changes(), next.getArgv(), next.envChangedFrom(spec.getEnv()),
                envSet(spec, next), envUnset(spec, next), next.getBackendSettings(), !next.equals(spec), !free));
        applied.add(new FixApplied(n, failureId, d.getStep(), d.getFixId(), d.getParams(), !next.equals(spec)));
        if (free) {
            freeAttempts++;
        }
        return new AttemptRun(null, next, change.delay());
    }

    private static Map<String, String> envSet(RunSpec before, RunSpec after) {
        Map<String, String> set = new java.util.TreeMap<>();
        after.getEnv().forEach((k, v) -> {
            if (!v.equals(before.getEnv().get(k))) {
                set.put(k, v);
            }
        });
        return set;
    }

    private static List<String> envUnset(RunSpec before, RunSpec after) {
        return before.getEnv().keySet().stream().filter(k -> !after.getEnv().containsKey(k)).sorted().toList();
    }

    /** Lays resume-from-checkpoint over the chosen fix when the run says where checkpoints go. */
    private FixPlan.Change withResume(FixPlan.Change change, Failure root, int n) {
        FixExecutor resume = fixer.registry().get("resume_from_checkpoint");
        var settings = knowledge.catalog().fixSettings("resume_from_checkpoint")
                .with("run options", options.fixSettings().getOrDefault("resume_from_checkpoint", Map.of()));
        if (resume == null || !ResumeFromCheckpoint.configured(settings) || change.next() == null) {
            return change;
        }
        Object lastStep = progress.toFields().get("step");
        if (lastStep != null) {
            // so the fix can say how much of the failed attempt's work the checkpoint keeps
            settings = settings.with("the failed attempt", Map.of("last_step", lastStep.toString()));
        }
        FixPlan plan = resume.plan(change.next(), new FixContext(settings, root, folder.dir(), n, 0));
        if (plan instanceof FixPlan.Change more) {
            return change.andThen(more);
        }
        journal.write(new Event.ResumeSkipped(null, n, ((FixPlan.Cannot) plan).reason()));
        return change;
    }

    private static String describeFailure(Failure root, Attempt attempt) {
        return root != null ? root.getId() : attempt.describeEnd();
    }

    private List<Event.Evidence> evidence(Failure f) {
        List<Event.Evidence> out = new ArrayList<>();
        for (Evidence e : f.getEvidence()) {
            out.add(new Event.Evidence(e.lineNo(), e.stream(), redactor.redactEvidence(e)));
        }
        return out;
    }

    /** {@link Failure#getFingerprint()} of the redacted evidence: what --resume computes back from the journal. */
    private String fingerprint(Failure f) {
        List<Evidence> ev = f.getEvidence();
        return f.getId() + "|" + (ev.isEmpty() ? "" : redactor.redactEvidence(ev.get(0)).strip());
    }

    private RunResult escalate(int n, Failure root, String reason, RunSpec spec) {
        var entry = root == null ? null : knowledge.catalog().entry(root.getId());
        List<String> evidenceLines = new ArrayList<>();
        if (root != null) {
            for (Evidence e : root.getEvidence()) {
                evidenceLines.add(new Evidence(e.lineNo(), e.stream(), redactor.redactEvidence(e)).toString());
            }
        }
        Escalation esc = new Escalation(folder.runId(), Hosts.name(), String.join(" ", redactor.redactArgv(spec.getArgv())),
                root == null ? null : root.getId(), evidenceLines, redactor.redact(reason),
                entry == null ? "" : entry.getEscalation(), attemptSummaries.stream().map(redactor::redact).toList(),
                (System.nanoTime() - runStartNanos) / 1_000_000, folder.dir().toAbsolutePath().toString(), attemptLogs(n));
        Map<String, String> results = new LinkedHashMap<>();
        for (Notifier notifier : notifiers) {
            String r;
            try {
                r = notifier.send(esc);
            } catch (RuntimeException e) {
                r = "failed: " + e.getMessage();
            }
            results.put(notifier.name(), r);
        }
        journal.write(new Event.Escalated(null, n, root == null ? null : root.getId(), reason, results));
        return finish(RunStatus.ESCALATED, n, ExitCodes.RUN_FAILED);
    }

    private List<String> attemptLogs(int n) {
        List<String> logs = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            logs.add(folder.attemptLog(i).toAbsolutePath().toString());
        }
        return logs;
    }

    private RunResult finishInterrupted(int n) {
        int code = "INT".equals(stopSignal) ? ExitCodes.INTERRUPTED_INT : ExitCodes.INTERRUPTED_TERM;
        return finish(RunStatus.INTERRUPTED, n, code);
    }

    private RunResult finish(RunStatus status, int attempts, int exitCode) {
        finished = true;
        journal.write(new Event.RunFinished(null, attempts, status, exitCode, attempts, (System.nanoTime() - runStartNanos) / 1_000_000));
        return new RunResult(folder.runId(), folder.dir(), status, attempts, exitCode);
    }

    /** Sleeps, waking early for a stop request; true when a stop was requested. */
    private boolean sleepInterruptibly(Duration d) throws InterruptedException {
        long deadline = System.nanoTime() + d.toNanos();
        while (stopSignal == null) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                return false;
            }
            queue.poll(left, TimeUnit.MILLISECONDS);
        }
        return true;
    }
}
