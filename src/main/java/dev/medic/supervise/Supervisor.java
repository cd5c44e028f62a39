package dev.medic.supervise;

import dev.medic.ExitCodes;
import dev.medic.MedicException;
import dev.medic.Version;
import dev.medic.backend.AttemptTag;
import dev.medic.backend.RunBackend;
import dev.medic.backend.RunningAttempt;
import dev.medic.catalog.Catalog;
import dev.medic.compute.ContextProbe;
import dev.medic.discover.DiscoveryCache;
import dev.medic.discover.FlagDiscovery;
import dev.medic.discover.HelpProbe;
import dev.medic.facts.Attempt;
import dev.medic.facts.Failure;
import dev.medic.facts.RunSpec;
import dev.medic.fix.FixRegistry;
import dev.medic.journal.Event;
import dev.medic.journal.Journal;
import dev.medic.journal.RunStatus;
import dev.medic.logs.AttemptLog;
import dev.medic.logs.Redactor;
import dev.medic.logs.Screen;
import dev.medic.notify.Notifier;
import dev.medic.rules.RuleLimits;
import dev.medic.util.Durations;
import dev.medic.util.LinkRefusedException;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The attempt loop: start an attempt, feed its output to the rules, judge its end, apply the fix
 * the rules chose, wait the backoff, and go again, until success, escalation, the attempt or time
 * budget, or a stop request. Everything it does is recorded in the run's journal first.
 */
public final class Supervisor {
    private static final int QUEUE_CAPACITY = 10_000;

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
    private final RunLedger ledger = new RunLedger();
    private final List<String> startWarnings = new ArrayList<>();
    private final List<String> secretValues = new ArrayList<>();
    private java.util.function.BiConsumer<Integer, RunSpec> specListener = (n, spec) -> { };
    private TimeLimits limits;
    private AttemptWatch watch;
    private NextStep nextStep;
    private Escalator escalator;
    private boolean finished;
    /** The attempt under way, or the last one; and the number of the last attempt that did start. */
    private int attemptNo;
    private int attemptsStarted;
    /** A resumed run's: takes up the attempt the supervisor that died left. */
    private Resumption resumption;

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
        limits = new TimeLimits(options, TimeLimits.Clock.SYSTEM);
        backend.prepare();
        Catalog catalog = knowledge.start();
        folder = runFolder;
        try (RunLock lock = RunLock.acquire(folder.dir())) {
            // read under the lock: another medic may have resumed and ended the run meanwhile
            RunState resumed = resume ? RunState.read(folder.dir()).requireResumable(options.maxAttempts()) : null;
            RunSpec initial = resume ? resumed.nextSpec(given) : given;
            Map<String, String> ownEnv = System.getenv();
            Redactor redactor = Redactor.fromEnvironments(ownEnv, initial.getEnv()).plusValues(secretValues)
                    .plusValues(Redactor.argvSecrets(initial.getArgv()));
            journal = new Journal(folder.journal(), redactor);
            listeners.forEach(journal::addListener);
            watch = new AttemptWatch(journal, queue, options, limits, knowledge, folder, probe, () -> stopSignal, this::newJudge);
            nextStep = new NextStep(journal, ledger, fixer, knowledge, options, folder, backend, limits, watch::progress);
            escalator = new Escalator(journal, ledger, knowledge, folder, limits, notifiers);
            if (options.discover()) {
                // the --help probe runs a process here: only where the attempts run here too
                HelpProbe probe = "local".equals(backend.name()) ? new HelpProbe(HelpProbe.DEFAULT_LIMIT) : null;
                fixer.discoverWith(new FlagDiscovery(new DiscoveryCache(folder.files(), folder.dir()), probe,
                        e -> journal.write(new Event.FlagsDiscovered(null, attemptNo, e.script(), e.method(), e.flags(), e.whyNot()))));
            }
            try {
                int first;
                if (resumed == null) {
                    first = started(initial, catalog);
                } else {
                    attemptsStarted = resumed.lastAttempt();
                    resumption = new Resumption(backend, folder, journal, ledger, options, knowledge, queue, watch, echo, specListener);
                    first = resumption.begin(initial, resumed, lock, startWarnings);
                }
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

    private RunResult loop(int first, RunSpec initial, Map<String, String> ownEnv) throws IOException, InterruptedException {
        RunSpec spec = initial;
        for (int n = first; ; n++) {
            if (n > first) {
                for (String note : knowledge.refresh()) {
                    String message = note.replaceFirst("^warning: ", "");
                    journal.write(note.startsWith("warning: ") ? new Event.Warning(null, n, message) : new Event.Reloaded(null, n, message));
                }
            }
            journal.setRedactor(journal.redactor().plus(spec.getEnv()));
            AttemptRun outcome = resumption != null && resumption.takesUp(n) ? takeUp(n, spec) : runAttempt(n, spec, ownEnv);
            if (outcome.result != null) {
                return outcome.result;
            }
            spec = outcome.next;
            Duration backoff = options.backoffBefore(n + 1);
            Duration wait = outcome.delay.compareTo(backoff) > 0 ? outcome.delay : backoff;
            if (!wait.isZero()) {
                Duration left = limits.timeLeft();
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
            // the screen is built once the child runs: its output waits in the spool meanwhile
            AttemptOutput output = new AttemptOutput(n, log, catalog.progress(), watch.newProgress(), queue, options.maxLine(), echo);
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
                watch.stopQuietly(running);
                throw e;
            }
            probe.prefetch(spec.getEnv());
            return after(n, spec, watch.watch(n, spec, attempt, running, output, log, logPath, catalog, List.of(), 0));
        } finally {
            try {
                log.close();
            } catch (IOException e) {
                // a full disk: the write failure was already reported and decided on
            }
        }
    }

    private AttemptRun takeUp(int n, RunSpec spec) throws IOException, InterruptedException {
        attemptNo = n;
        attemptsStarted = n;
        return after(n, spec, resumption.takeUp(n, spec));
    }

    /** What follows an attempt's end. */
    private AttemptRun after(int n, RunSpec spec, AttemptWatch.Ended ended) throws InterruptedException {
        if (ended instanceof AttemptWatch.Interrupted) {
            return new AttemptRun(finishInterrupted(n), null);
        }
        if (ended instanceof AttemptWatch.LogWriteFailed w) {
            return new AttemptRun(escalate(n, null, w.message(), spec), null);
        }
        if (ended instanceof AttemptWatch.Lost lost) {
            // preempted, or its node failed: not the run's fault, so the same command again, free
            int lostTimes = ledger.freeAttempt();
            if (lostTimes > 3 * options.maxAttempts()) {
                return new AttemptRun(escalate(n, null, "the scheduler lost the attempt " + lostTimes + " times ("
                        + lost.state() + ")", spec), null);
            }
            journal.write(new Event.Requeued(null, n, lost.state()));
            ledger.summary("attempt " + n + ": " + lost.state() + " -> requeued");
            return new AttemptRun(null, spec);
        }
        AttemptWatch.Judged judged = (AttemptWatch.Judged) ended;
        return decide(n, judged.attempt(), judged.verdict(), spec);
    }

    private AttemptJudge newJudge(Catalog catalog, Attempt attempt) {
        return new AttemptJudge(knowledge.rules(), catalog, fixer, attempt, ledger.pastFailures(), ledger.applied(), folder.dir(),
                options.fixSettings(), new RuleLimits(options.ruleTimeout(), () -> stopSignal != null));
    }

    private AttemptRun decide(int n, Attempt attempt, Verdict verdict, RunSpec spec) throws InterruptedException {
        NextStep.Step step = nextStep.after(n, attempt, verdict, spec);
        if (step instanceof NextStep.End end) {
            return new AttemptRun(finish(end.status(), n, end.exitCode()), null);
        }
        if (step instanceof NextStep.Escalate esc) {
            return new AttemptRun(escalate(n, verdict.root(), esc.reason(), spec), null);
        }
        NextStep.Next next = (NextStep.Next) step;
        return new AttemptRun(null, next.spec(), next.delay());
    }

    private RunResult escalate(int n, Failure root, String reason, RunSpec spec) {
        escalator.escalate(n, root, reason, spec);
        return finish(RunStatus.ESCALATED, n, ExitCodes.RUN_FAILED);
    }

    private RunResult finishInterrupted(int n) {
        int code = "INT".equals(stopSignal) ? ExitCodes.INTERRUPTED_INT : ExitCodes.INTERRUPTED_TERM;
        return finish(RunStatus.INTERRUPTED, n, code);
    }

    private RunResult finish(RunStatus status, int attempts, int exitCode) {
        finished = true;
        journal.write(new Event.RunFinished(null, attempts, status, exitCode, attempts, limits.runMillis()));
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
