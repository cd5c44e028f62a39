package dev.medic.supervise;

import dev.medic.MedicException;
import dev.medic.facts.FixApplied;
import dev.medic.facts.PastFailure;
import dev.medic.facts.RunSpec;
import dev.medic.journal.Event;
import dev.medic.journal.RunHistory;
import dev.medic.journal.RunStatus;
import dev.medic.logs.Redactor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where a run stands for {@code medic run --resume}, read back from its journal: the command the
 * next attempt runs (the first command with every applied fix laid over it), the failures and
 * fixes the choice rules remember, and the attempt budget spent.
 */
public final class RunState {
    private final String runId;
    private final String backend;
    private final Path workdir;
    private final RunHistory history;

    private RunState(String runId, String backend, Path workdir, RunHistory history) {
        this.runId = runId;
        this.backend = backend;
        this.workdir = workdir;
        this.history = history;
    }

    /** Reads {@code <runDir>/journal.jsonl}; a journal without its run_started record is refused. */
    public static RunState read(Path runDir) throws IOException {
        RunHistory h = RunHistory.read(runDir.resolve("journal.jsonl"));
        if (!(h.first() instanceof Event.RunStarted start)) {
            throw MedicException.badInput(runDir + " has no journal that starts with run_started; it is not a run to resume");
        }
        String notOurs = FolderMark.notARunStart(start);
        if (notOurs != null) {
            throw MedicException.badInput("run " + runDir.getFileName() + " cannot be resumed: " + notOurs);
        }
        return new RunState(start.runId() == null ? runDir.getFileName().toString() : start.runId(),
                start.backend() == null ? "local" : start.backend(), Path.of(start.cwd() == null ? "." : start.cwd()), h);
    }

    /** This state, or a one-line refusal: the run succeeded, or its attempts are spent. */
    public RunState requireResumable(int maxAttempts) {
        if (history.status(null) == RunStatus.SUCCEEDED) {
            throw MedicException.badInput("run " + runId + " succeeded; there is nothing to resume");
        }
        int spent = lastAttempt() - freeAttempts();
        if (spent >= maxAttempts) {
            throw MedicException.badInput("run " + runId + " has spent " + spent + " attempts and --max-attempts is " + maxAttempts
                    + "; raise --max-attempts to resume it");
        }
        return this;
    }

    /**
     * The next attempt's spec: the journal's command and working folder; {@code base}'s environment
     * (the resuming medic's) and backend settings (its options) under what the fixes set.
     */
    public RunSpec nextSpec(RunSpec base) {
        List<String> argv = history.nextArgv();
        Map<String, String> envSet = history.envSet();
        if (argv.stream().anyMatch(a -> a.contains(Redactor.MASK)) || envSet.values().stream().anyMatch(v -> v.contains(Redactor.MASK))) {
            throw MedicException.badInput("run " + runId + " cannot be resumed: its journal holds its command with secret-looking"
                    + " values masked (" + Redactor.MASK + "); pass secrets through the environment, not the command line");
        }
        Map<String, String> e = new LinkedHashMap<>(base.getEnv());
        history.envUnset().forEach(e::remove);
        e.putAll(envSet);
        Map<String, String> settings = new TreeMap<>(base.getBackendSettings());
        settings.putAll(history.backendSettings());
        return new RunSpec(argv, e, workdir, settings);
    }

    public String runId() {
        return runId;
    }

    public String backend() {
        return backend;
    }

    public int lastAttempt() {
        return history.attempts();
    }

    /** The attempt that was running when its supervisor died (0 when none was). */
    public int abandonedAttempt() {
        return history.abandoned() == null ? 0 : history.abandoned().attempt();
    }

    /** The fields of the abandoned attempt's attempt_started record (its pid, and what its backend needs to take it up). */
    public Map<String, String> abandonedStart() {
        return history.abandoned() == null ? Map.of() : history.abandoned().scalars();
    }

    public int freeAttempts() {
        return history.freeAttempts();
    }

    /** The status of the run's last run_finished record, or null when it never finished (its supervisor died). */
    public RunStatus finishedStatus() {
        return history.status(null);
    }

    public List<PastFailure> pastFailures() {
        return history.pastFailures();
    }

    public List<FixApplied> applied() {
        return history.applied();
    }

    public List<String> summaries() {
        return history.summaries();
    }
}
