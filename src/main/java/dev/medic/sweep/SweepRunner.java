package dev.medic.sweep;

import dev.medic.backend.RunBackend;
import dev.medic.catalog.Catalog;
import dev.medic.facts.CatalogEntry;
import dev.medic.facts.RunSpec;
import dev.medic.fix.FixRegistry;
import dev.medic.journal.Event;
import dev.medic.journal.RunHistory;
import dev.medic.journal.RunStatus;
import dev.medic.logs.Redactor;
import dev.medic.notify.Escalation;
import dev.medic.notify.Notifier;
import dev.medic.rules.RuleException;
import dev.medic.supervise.Knowledge;
import dev.medic.supervise.RunOptions;
import dev.medic.supervise.RunResult;
import dev.medic.supervise.Supervisor;
import dev.medic.util.Hosts;
import dev.medic.util.LinkRefusedException;
import dev.medic.util.PrivateFolder;
import dev.medic.util.SourceLocation;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Runs every trial of a sweep as its own supervised run, as many at once as the GPU pool (or
 * {@code parallel} on CPU) allows; a trial gets its GPUs through {@code CUDA_VISIBLE_DEVICES} and
 * gives them back when it ends. A crash-loop breaker stops starting trials after {@code breakerAfter}
 * trials in a row end with the same non-retryable root cause. People are told once, with a digest.
 */
public final class SweepRunner {
    /** What the sweep tells whoever shows its progress. */
    public interface Events {
        void started(Trial trial, List<String> gpus);

        void finished(TrialResult result);

        void breakerTripped(String failure, int inARow);
    }

    /** @param pool null to run on the CPU, {@code parallel} trials at once */
    /**
     * @param backendSettings what a fix may change about where a trial's attempt runs, as the command line starts it
     *                        (a container's shm_size)
     * @param backendFor the backend for a trial holding these GPUs: a local process (its GPUs in
     *                   CUDA_VISIBLE_DEVICES), or a container with device requests for them
     */
    public record Setup(List<String> argv, Map<String, String> env, Path workdir, Map<String, String> backendSettings, RunOptions options,
                        SourceLocation catalog, SourceLocation rules, GpuPool pool, int parallel, int breakerAfter,
                        Map<String, TrialResult> alreadySucceeded, List<Notifier> notifiers,
                        java.util.function.Function<List<String>, RunBackend> backendFor, boolean gpusByEnvironment) {
    }

    /** The sweep folder's folder of trial run folders. */
    public static final String TRIALS = "trials";

    private final Setup setup;
    private final Events events;
    private final Catalog catalog;
    private final List<TrialResult> results = new CopyOnWriteArrayList<>();
    private final Set<Supervisor> running = ConcurrentHashMap.newKeySet();
    private volatile String stopSignal;
    private volatile String breakerFailure;
    /** The first link found planted in the sweep folder: the sweep ends with it. */
    private volatile LinkRefusedException refused;
    /** Why the rules failed in a trial (a rule that threw or ran past its time limit): every trial shares them, so none more starts. */
    private volatile String rulesFailure;
    private final List<String> recentRoots = new ArrayList<>();
    private Thread main;
    private java.util.function.Supplier<java.util.function.Consumer<Event>> runListener;

    public SweepRunner(Setup setup, Catalog catalog, Events events) {
        this.setup = setup;
        this.catalog = catalog;
        this.events = events;
    }

    /** Each trial's supervisor gets a listener of its own from {@code perRun} (a sweep-wide metrics file). Call before {@link #run}. */
    public void watchEachRun(java.util.function.Supplier<java.util.function.Consumer<Event>> perRun) {
        runListener = perRun;
    }

    /** Stops every running trial (as SIGINT/SIGTERM stops a run) and starts no more. */
    public void requestStop(String signal) {
        stopSignal = signal;
        running.forEach(s -> s.requestStop(signal));
        Thread m = main;
        if (m != null) {
            m.interrupt();
        }
    }

    public String stopSignal() {
        return stopSignal;
    }

    public String breakerFailure() {
        return breakerFailure;
    }

    /**
     * Runs the trials; returns one result per trial, in trial order (skipped ones included). A link
     * planted in the sweep folder (its files, or in place of {@code trials/}) stops the running trials
     * (as SIGTERM would), starts no more, and is thrown once they have ended.
     */
    public List<TrialResult> run(List<Trial> trials, Path sweepDir, String sweepId, SweepFiles files) throws InterruptedException {
        main = Thread.currentThread();
        int slots = setup.pool() != null ? Math.max(1, setup.pool().slots()) : Math.max(1, setup.parallel());
        // the GPU pool or the CPU slots decide how many trials run; a trial moved off its GPUs frees one early
        ExecutorService workers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "medic-trial");
            t.setDaemon(true);
            return t;
        });
        Semaphore cpuSlots = new Semaphore(setup.pool() == null ? slots : Integer.MAX_VALUE);
        long start = System.nanoTime();
        try {
            for (Trial trial : trials) {
                TrialResult before = setup.alreadySucceeded().get(SweepFiles.key(trial));
                if (before != null) {
                    // --resume: a trial that succeeded before is not run again
                    record(before, files);
                    continue;
                }
                if (stopSignal != null || breakerFailure != null || refused != null || rulesFailure != null) {
                    record(notStarted(trial), files);
                    continue;
                }
                List<String> gpus;
                try {
                    if (setup.pool() != null) {
                        gpus = setup.pool().acquire();
                    } else {
                        cpuSlots.acquire();
                        gpus = List.of();
                    }
                } catch (InterruptedException e) {
                    record(new TrialResult(trial, "", "not started: interrupted", 0, "", List.of(), 0, List.of()), files);
                    continue;
                }
                if (stopSignal != null || breakerFailure != null || refused != null || rulesFailure != null) {
                    release(gpus, cpuSlots);
                    record(notStarted(trial), files);
                    continue;
                }
                List<String> held = gpus;
                events.started(trial, held);
                List<String> holding = new CopyOnWriteArrayList<>(held);
                workers.submit(() -> {
                    try {
                        TrialResult r = trialsFolderIntact(sweepDir) ? runTrial(trial, holding, sweepDir) : notStarted(trial);
                        record(r, files);
                        breaker(r);
                    } finally {
                        release(new ArrayList<>(holding), cpuSlots);
                    }
                });
            }
        } finally {
            workers.shutdown();
            awaitTrials(workers);
            main = null;
        }
        List<TrialResult> ordered = new ArrayList<>(results);
        ordered.sort(java.util.Comparator.comparingInt(r -> r.trial().number()));
        digest(ordered, sweepDir, sweepId, (System.nanoTime() - start) / 1_000_000);
        if (refused != null) {
            throw refused;
        }
        return ordered;
    }

    /**
     * Waits for every started trial. A stop interrupts this thread (to wake a wait for a GPU) and
     * may come while it waits here: the trials are being stopped then, and their results still
     * belong in the sweep's files, so the wait goes on.
     */
    private static void awaitTrials(ExecutorService workers) {
        while (true) {
            try {
                if (workers.awaitTermination(1, TimeUnit.SECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                // see above: keep waiting for the stopping trials
            }
        }
    }

    private TrialResult notStarted(Trial trial) {
        String why = stopSignal != null ? "interrupted" : breakerFailure != null ? "crash-loop breaker (" + breakerFailure + ")"
                : rulesFailure != null ? "the rules failed in another trial (" + rulesFailure + ")"
                : "the sweep folder holds a link medic did not make";
        return new TrialResult(trial, "", "not started: " + why, 0, "", List.of(), 0, List.of());
    }

    /** Checks, before a trial starts, that trials/ is still medic's folder; a link there ends the sweep. */
    private boolean trialsFolderIntact(Path sweepDir) {
        try {
            PrivateFolder.open(sweepDir, PrivateFolder.SWEEP_FOLDER).directory(sweepDir.resolve(TRIALS));
            return true;
        } catch (LinkRefusedException e) {
            refuse(e);
            return false;
        } catch (IOException e) {
            // not a link: the trial's own start reports what is wrong with the folder
            return true;
        }
    }

    /** Remembers the first planted link, stops the running trials and starts no more. */
    private synchronized void refuse(LinkRefusedException e) {
        if (refused == null) {
            refused = e;
            running.forEach(s -> s.requestStop("TERM"));
        }
    }

    private void release(List<String> gpus, Semaphore cpuSlots) {
        if (setup.pool() != null) {
            setup.pool().release(gpus);
        } else {
            cpuSlots.release();
        }
    }

    private void record(TrialResult r, SweepFiles files) {
        results.add(r);
        try {
            files.append(r);
        } catch (LinkRefusedException e) {
            refuse(e);
        }
        events.finished(r);
    }

    private TrialResult runTrial(Trial trial, List<String> gpus, Path sweepDir) {
        long t0 = System.nanoTime();
        // the GPUs the trial was given (it may give them back early: the record keeps them)
        List<String> given = List.copyOf(gpus);
        Map<String, String> env = new LinkedHashMap<>(setup.env());
        if (setup.gpusByEnvironment()) {
            if (!gpus.isEmpty()) {
                env.put("CUDA_VISIBLE_DEVICES", String.join(",", gpus));
            } else if (setup.pool() != null) {
                env.put("CUDA_VISIBLE_DEVICES", "");
            }
        }
        RunSpec spec = new RunSpec(TrialSource.substitute(setup.argv(), trial), env, setup.workdir(), setup.backendSettings());
        RunOptions opts = setup.options().withRunDir(sweepDir.resolve(TRIALS), false);
        try (Knowledge knowledge = new Knowledge(setup.catalog(), setup.rules())) {
            Supervisor s = new Supervisor(setup.backendFor().apply(gpus), knowledge, FixRegistry.standard(), List.of(), opts);
            s.maskValues(trial.secretValues());
            List<String> lastFix = new CopyOnWriteArrayList<>();
            s.addListener(e -> {
                if (e instanceof Event.FixApplied f) {
                    lastFix.clear();
                    lastFix.add(String.valueOf(f.fix()));
                }
            });
            // a fix that takes the trial off GPUs gives them back: CPU fallback frees them, excluding a faulty one retires it
            s.onAttemptSpec((n, next) -> giveBack(gpus, next, lastFix.isEmpty() ? "" : lastFix.get(0)));
            if (runListener != null) {
                s.addListener(runListener.get());
            }
            running.add(s);
            if (stopSignal != null) {
                s.requestStop(stopSignal);
            } else if (refused != null) {
                s.requestStop("TERM");
            }
            RunResult r;
            try {
                r = s.run(spec);
            } finally {
                running.remove(s);
            }
            return summarize(trial, r, given, (System.nanoTime() - t0) / 1_000_000);
        } catch (RuntimeException | IOException e) {
            if (e instanceof RuleException && rulesFailure == null) {
                // a rule that spins is left on a thread of its own: another trial would only start one more
                rulesFailure = e.getMessage();
            }
            return new TrialResult(trial, "", "error: " + e.getMessage(), 0, "", List.of(), (System.nanoTime() - t0) / 1_000_000, given);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new TrialResult(trial, "", "interrupted", 0, "", List.of(), (System.nanoTime() - t0) / 1_000_000, given);
        }
    }

    private void giveBack(List<String> holding, RunSpec next, String fix) {
        if (setup.pool() == null || holding.isEmpty()) {
            return;
        }
        String visible = next.getEnv().getOrDefault("CUDA_VISIBLE_DEVICES", String.join(",", holding));
        List<String> still = visible.isEmpty() ? List.of() : List.of(visible.split(","));
        List<String> gone = holding.stream().filter(g -> !still.contains(g)).toList();
        for (String g : gone) {
            holding.remove(g);
            if (fix.equals("exclude_gpu")) {
                setup.pool().retire(g);
            } else {
                setup.pool().release(List.of(g));
            }
        }
    }

    private static TrialResult summarize(Trial trial, RunResult r, List<String> gpus, long ms) throws IOException {
        RunHistory h = RunHistory.read(r.runDir().resolve("journal.jsonl"));
        List<String> fixes = h.fixes();
        String root = r.status() == RunStatus.SUCCEEDED && fixes.isEmpty() ? "" : h.rootFailure();
        return new TrialResult(trial, r.runId(), r.status().word(), r.attempts(), root, fixes, ms, gpus);
    }

    /** Trips when the last {@code breakerAfter} finished trials all ended on the same non-retryable root cause. */
    private synchronized void breaker(TrialResult r) {
        if (setup.breakerAfter() < 1 || breakerFailure != null) {
            return;
        }
        CatalogEntry entry = r.rootFailure().isEmpty() ? null : catalog.entry(r.rootFailure());
        boolean nonRetryableFailure = !r.succeeded() && entry != null && !entry.isRetryable();
        recentRoots.add(nonRetryableFailure ? r.rootFailure() : "");
        int n = setup.breakerAfter();
        if (recentRoots.size() >= n) {
            List<String> last = recentRoots.subList(recentRoots.size() - n, recentRoots.size());
            if (!last.get(0).isEmpty() && last.stream().allMatch(last.get(0)::equals)) {
                breakerFailure = last.get(0);
                events.breakerTripped(breakerFailure, n);
            }
        }
    }

    private void digest(List<TrialResult> ordered, Path sweepDir, String sweepId, long ms) {
        List<TrialResult> failed = ordered.stream().filter(r -> !r.succeeded() && !r.status().startsWith("not started")).toList();
        if ((failed.isEmpty() && breakerFailure == null) || stopSignal != null || setup.notifiers().isEmpty()) {
            return;
        }
        List<String> lines = new ArrayList<>();
        for (TrialResult r : failed) {
            lines.add("trial " + r.trial().number() + " (" + r.trial().label() + "): " + r.status()
                    + (r.rootFailure().isEmpty() ? "" : ", " + r.rootFailure()));
        }
        List<String> all = new ArrayList<>();
        for (TrialResult r : ordered) {
            all.add("trial " + r.trial().number() + " " + r.trial().label() + ": " + r.status()
                    + (r.fixes().isEmpty() ? "" : " after " + String.join(", ", r.fixes())));
        }
        String reason = breakerFailure != null
                ? "crash-loop breaker: " + setup.breakerAfter() + " trials in a row failed with " + breakerFailure
                        + "; the sweep stopped starting trials"
                : failed.size() + " of " + ordered.size() + " trials need a person";
        Redactor redactor = Redactor.fromEnvironments(setup.env())
                .plusValues(ordered.stream().flatMap(r -> r.trial().secretValues().stream()).toList());
        Escalation e = new Escalation(sweepId, Hosts.name(), String.join(" ", redactor.redactArgv(setup.argv())), breakerFailure != null
                ? breakerFailure : "sweep", lines.stream().map(redactor::redact).toList(), redactor.redact(reason), "",
                all.stream().map(redactor::redact).toList(), ms, sweepDir.toAbsolutePath().toString(), List.of());
        for (Notifier n : setup.notifiers()) {
            try {
                n.send(e);
            } catch (RuntimeException ex) {
                // a notifier never stops the sweep
            }
        }
    }
}
