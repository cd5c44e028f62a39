package dev.medic.supervise;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.medic.MedicException;
import dev.medic.facts.FixApplied;
import dev.medic.facts.PastFailure;
import dev.medic.facts.RunSpec;
import dev.medic.logs.Redactor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where a run stands, read back from its journal: the command the next attempt runs (the first
 * command with every applied fix laid over it), the failures and fixes the choice rules remember,
 * and the attempt budget spent. {@code medic run --resume} continues from here.
 */
public final class RunState {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String runId;
    private final String backend;
    private final Path workdir;
    private final List<String> argv;
    private final Map<String, String> envSet = new TreeMap<>();
    private final List<String> envUnset = new ArrayList<>();
    private final Map<String, String> backendSettings = new TreeMap<>();
    private final List<PastFailure> pastFailures = new ArrayList<>();
    private final List<FixApplied> applied = new ArrayList<>();
    private final List<String> summaries = new ArrayList<>();
    private int lastAttempt;
    private int freeAttempts;
    private int abandonedAttempt;
    /** The attempt_started record of the abandoned attempt, field by field (scalars only). */
    private final Map<String, String> abandonedStart = new TreeMap<>();
    private String finishedStatus;

    private RunState(String runId, String backend, Path workdir, List<String> argv) {
        this.runId = runId;
        this.backend = backend;
        this.workdir = workdir;
        this.argv = new ArrayList<>(argv);
    }

    /** Reads {@code <runDir>/journal.jsonl}; a journal without its run_started record is refused. */
    public static RunState read(Path runDir) throws IOException {
        List<JsonNode> records = JournalReader.read(runDir.resolve("journal.jsonl"));
        if (records.isEmpty() || !records.get(0).path("event").asText().equals("run_started")) {
            throw MedicException.badInput(runDir + " has no journal that starts with run_started; it is not a run to resume");
        }
        String notOurs = FolderMark.notARunStart(records.get(0));
        if (notOurs != null) {
            throw MedicException.badInput("run " + runDir.getFileName() + " cannot be resumed: " + notOurs);
        }
        JsonNode start = records.get(0);
        RunState s = new RunState(start.path("run_id").asText(runDir.getFileName().toString()), start.path("backend").asText("local"),
                Path.of(start.path("cwd").asText(".")), JournalReader.strings(start.path("argv")));
        int openAttempt = 0;
        JsonNode openStart = null;
        JsonNode decision = null;
        for (JsonNode r : records) {
            int n = r.path("attempt").asInt();
            switch (r.path("event").asText()) {
                case "run_started", "run_resumed" -> s.finishedStatus = null;
                case "attempt_started" -> {
                    s.lastAttempt = Math.max(s.lastAttempt, n);
                    openAttempt = n;
                    openStart = r;
                }
                case "attempt_finished" -> openAttempt = 0;
                case "attempt_abandoned" -> {
                    openAttempt = 0;
                    s.freeAttempts++;
                }
                case "requeued" -> s.freeAttempts++;
                case "failure" -> {
                    if (r.path("root").asBoolean()) {
                        s.pastFailures.add(new PastFailure(n, r.path("failure").asText(), r.path("fingerprint").asText(null)));
                    }
                }
                case "decision" -> {
                    decision = r;
                    s.summaries.add("attempt " + n + ": " + r.path("failure").asText("ended") + " -> " + r.path("fix").asText());
                }
                case "fix_applied" -> s.apply(r, decision);
                case "run_finished" -> s.finishedStatus = r.path("status").asText();
                default -> {
                }
            }
        }
        if (openAttempt > 0) {
            // its supervisor died while it ran: nothing judged it, so it is not the run's to pay for
            s.freeAttempts++;
            s.abandonedAttempt = openAttempt;
            openStart.fields().forEachRemaining(e -> {
                if (e.getValue().isValueNode() && !e.getValue().isNull()) {
                    s.abandonedStart.put(e.getKey(), e.getValue().asText());
                }
            });
        }
        return s;
    }

    private void apply(JsonNode fix, JsonNode decision) {
        int n = fix.path("attempt").asInt();
        if (fix.path("argv").isArray()) {
            argv.clear();
            argv.addAll(JournalReader.strings(fix.path("argv")));
        }
        fix.path("env_set").fields().forEachRemaining(e -> {
            envSet.put(e.getKey(), e.getValue().asText());
            envUnset.remove(e.getKey());
        });
        for (String name : JournalReader.strings(fix.path("env_unset"))) {
            envSet.remove(name);
            envUnset.add(name);
        }
        fix.path("backend_settings").fields().forEachRemaining(e -> backendSettings.put(e.getKey(), e.getValue().asText()));
        if (!fix.path("spends_attempt").asBoolean(true)) {
            freeAttempts++;
        }
        boolean sameDecision = decision != null && decision.path("attempt").asInt() == n;
        @SuppressWarnings("unchecked")
        Map<String, Object> params = sameDecision ? JSON.convertValue(decision.path("params"), LinkedHashMap.class) : Map.of();
        applied.add(new FixApplied(n, sameDecision ? decision.path("failure").asText(null) : null,
                sameDecision ? decision.path("step").asInt() : 0, fix.path("fix").asText(),
                params == null ? Map.of() : params, fix.path("changed").asBoolean(true)));
    }

    /** This state, or a one-line refusal: the run succeeded, or its attempts are spent. */
    public RunState requireResumable(int maxAttempts) {
        if ("succeeded".equals(finishedStatus)) {
            throw MedicException.badInput("run " + runId + " succeeded; there is nothing to resume");
        }
        int spent = lastAttempt - freeAttempts;
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
        if (argv.stream().anyMatch(a -> a.contains(Redactor.MASK)) || envSet.values().stream().anyMatch(v -> v.contains(Redactor.MASK))) {
            throw MedicException.badInput("run " + runId + " cannot be resumed: its journal holds its command with secret-looking"
                    + " values masked (" + Redactor.MASK + "); pass secrets through the environment, not the command line");
        }
        Map<String, String> e = new LinkedHashMap<>(base.getEnv());
        envUnset.forEach(e::remove);
        e.putAll(envSet);
        Map<String, String> settings = new TreeMap<>(base.getBackendSettings());
        settings.putAll(backendSettings);
        return new RunSpec(argv, e, workdir, settings);
    }

    public String runId() {
        return runId;
    }

    public String backend() {
        return backend;
    }

    public int lastAttempt() {
        return lastAttempt;
    }

    /** The attempt that was running when its supervisor died (0 when none was). */
    public int abandonedAttempt() {
        return abandonedAttempt;
    }

    /** The fields of the abandoned attempt's attempt_started record (its pid, and what its backend needs to take it up). */
    public Map<String, String> abandonedStart() {
        return Map.copyOf(abandonedStart);
    }

    public int freeAttempts() {
        return freeAttempts;
    }

    /** The status of the run's last run_finished record, or null when it never finished (its supervisor died). */
    public String finishedStatus() {
        return finishedStatus;
    }

    public List<PastFailure> pastFailures() {
        return List.copyOf(pastFailures);
    }

    public List<FixApplied> applied() {
        return List.copyOf(applied);
    }

    public List<String> summaries() {
        return List.copyOf(summaries);
    }
}
