package dev.medic.journal;

import dev.medic.facts.FixApplied;
import dev.medic.facts.PastFailure;
import dev.medic.journal.Event.*;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A run as its journal tells it, folded one event at a time: how it started, its attempts, the
 * failures and fixes the choice rules remember, the command its next attempt runs, its last
 * progress and how it ended. Every reader of journals (history, ps, gc, resume, replay, triage,
 * sweeps, metrics) asks this one fold, so they cannot disagree about a run.
 */
public final class RunHistory {
    private Event first;
    private Event last;
    private RunStarted start;
    private Instant startedAt;
    private String runId;
    private List<String> command = List.of();
    private String backend;
    private int attempts;
    private List<String> nextArgv = List.of();
    private final Map<String, String> envSet = new TreeMap<>();
    private final List<String> envUnset = new ArrayList<>();
    private final Map<String, String> backendSettings = new TreeMap<>();
    private final List<PastFailure> pastFailures = new ArrayList<>();
    private final List<FixApplied> applied = new ArrayList<>();
    private final List<String> summaries = new ArrayList<>();
    private final Map<Integer, Decision> decisions = new HashMap<>();
    private final Map<Integer, Failure> roots = new LinkedHashMap<>();
    private final Map<Integer, AttemptFinished> ends = new LinkedHashMap<>();
    private String rootFailure = "";
    private int freeAttempts;
    private AttemptStarted open;
    private Map<String, Object> progress = Map.of();
    private RunFinished finished;

    /** The fold of the journal at {@code journal}. */
    public static RunHistory read(Path journal) throws IOException {
        return of(JournalReader.read(journal));
    }

    public static RunHistory of(List<Event> events) {
        RunHistory h = new RunHistory();
        events.forEach(h::add);
        return h;
    }

    /** Folds one more event in: a listener keeps a live run's history this way. */
    public void add(Event e) {
        if (first == null) {
            first = e;
        }
        last = e;
        int n = e.attempt();
        if (e instanceof RunStarted s) {
            start = start == null ? s : start;
            began(s.ts(), s.runId(), s.argv(), s.backend());
            nextArgv = s.argv();
        } else if (e instanceof RunResumed r) {
            began(r.ts(), r.runId(), r.argv(), r.backend());
        } else if (e instanceof AttemptStarted a) {
            attempts = Math.max(attempts, n);
            if (!a.argv().isEmpty()) {
                nextArgv = a.argv();
            }
            open = a;
        } else if (e instanceof AttemptFinished f) {
            open = null;
            ends.put(n, f);
            // progress records are spaced out; the attempt's end has its last progress
            if (!f.lastProgress().isEmpty()) {
                progress = f.lastProgress();
            }
        } else if (e instanceof AttemptAbandoned) {
            open = null;
            freeAttempts++;
        } else if (e instanceof Requeued) {
            freeAttempts++;
        } else if (e instanceof Progress p) {
            progress = p.fields();
        } else if (e instanceof Failure f && f.root()) {
            roots.put(n, f);
            rootFailure = f.failure();
            pastFailures.add(new PastFailure(n, f.failure(), fingerprint(f)));
        } else if (e instanceof Decision d) {
            decisions.put(n, d);
            summaries.add("attempt " + n + ": " + (d.failure() == null ? "ended" : d.failure()) + " -> " + d.fix());
        } else if (e instanceof Event.FixApplied f) {
            applyFix(f);
        } else if (e instanceof RunFinished f) {
            finished = f;
        }
    }

    private void began(Instant ts, String id, List<String> argv, String backend) {
        startedAt = startedAt == null ? ts : startedAt;
        runId = id;
        command = argv;
        this.backend = backend;
        finished = null;
    }

    private void applyFix(Event.FixApplied f) {
        int n = f.attempt();
        if (f.argv() != null) {
            nextArgv = f.argv();
        }
        f.envSet().forEach((k, v) -> {
            envSet.put(k, v);
            envUnset.remove(k);
        });
        for (String name : f.envUnset()) {
            envSet.remove(name);
            envUnset.add(name);
        }
        backendSettings.putAll(f.backendSettings());
        if (!f.spendsAttempt()) {
            freeAttempts++;
        }
        Decision d = decisions.get(n);
        // journals from before "changed" was written: a retry or a fix that changed nothing ran the same command
        boolean changed = f.changed() != null ? f.changed() : !f.changes().isEmpty() && !f.fix().startsWith("retry");
        applied.add(new FixApplied(n, d == null ? null : d.failure(), d == null || d.step() == null ? -1 : d.step(), f.fix(),
                d == null ? Map.of() : d.params(), changed));
    }

    /** The failure's fingerprint as written; journals from before it was, have it computed as the supervisor does. */
    private static String fingerprint(Failure f) {
        if (f.fingerprint() != null) {
            return f.fingerprint();
        }
        return f.failure() + "|" + (f.evidence().isEmpty() ? "" : f.evidence().get(0).text().strip());
    }

    /**
     * Where the run stands: how it ended, or {@code unfinished} while it has not (a run that was
     * resumed has not finished until it finishes again). Whoever can tell a live run from a dead
     * one says which word that is.
     */
    public RunStatus status(RunStatus unfinished) {
        return finished == null ? unfinished : finished.status();
    }

    /** The journal's first event, null when it has none. */
    public Event first() {
        return first;
    }

    /** The journal's last event, null when it has none. */
    public Event last() {
        return last;
    }

    /** The run's {@code run_started}, null when the journal has none. */
    public RunStarted start() {
        return start;
    }

    /** When it first started or was resumed; null when unknown. */
    public Instant startedAt() {
        return startedAt;
    }

    public String runId() {
        return runId;
    }

    /** The command it was last started or resumed with. */
    public List<String> command() {
        return command;
    }

    public String backend() {
        return backend;
    }

    /** The highest attempt started. */
    public int attempts() {
        return attempts;
    }

    /** The command the next attempt runs: the last one started, or the one the last fix made. */
    public List<String> nextArgv() {
        return nextArgv;
    }

    /** The environment the fixes set and removed, and the backend settings they changed, all laid over each other. */
    public Map<String, String> envSet() {
        return Map.copyOf(envSet);
    }

    public List<String> envUnset() {
        return List.copyOf(envUnset);
    }

    public Map<String, String> backendSettings() {
        return Map.copyOf(backendSettings);
    }

    public List<PastFailure> pastFailures() {
        return List.copyOf(pastFailures);
    }

    public List<FixApplied> applied() {
        return List.copyOf(applied);
    }

    /** The fix ids applied, in order. */
    public List<String> fixes() {
        return applied.stream().map(FixApplied::fixId).toList();
    }

    /** The last fix applied (the one the current attempt runs with), or null. */
    public String lastFix() {
        return applied.isEmpty() ? null : applied.get(applied.size() - 1).fixId();
    }

    /** The last root failure's id; empty when none. */
    public String rootFailure() {
        return rootFailure;
    }

    /** Each attempt's root failure, by attempt. */
    public Map<Integer, Failure> roots() {
        return Map.copyOf(roots);
    }

    /** Each finished attempt's end, by attempt. */
    public Map<Integer, AttemptFinished> ends() {
        return Map.copyOf(ends);
    }

    /** One line a decision: "attempt N: failure -> fix". */
    public List<String> summaries() {
        return List.copyOf(summaries);
    }

    /** Attempts that do not count against the budget: requeued, abandoned, or after a free fix. */
    public int freeAttempts() {
        return freeAttempts + (open != null ? 1 : 0);
    }

    /** The attempt_started of the attempt that was running when its supervisor died; null when none was. */
    public AttemptStarted abandoned() {
        return open;
    }

    /** The last progress the run's output showed (step, loss, ...); empty when none. */
    public Map<String, Object> progress() {
        return progress;
    }

    /** Its run_finished, null while it has not finished (since it last started or was resumed). */
    public RunFinished finished() {
        return finished;
    }
}
