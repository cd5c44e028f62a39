package dev.medic.supervise;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One run as {@code medic ps} shows it: read from its journal, and from its lock file for whether
 * a supervisor still holds it.
 *
 * @param status   running, or the run_finished status (succeeded, escalated, interrupted, ...), or
 *                 {@code dead} when no supervisor holds an unfinished run (killed; {@code --resume} continues it)
 * @param fix      the last fix applied (the one the current attempt runs with), or null
 * @param progress the last progress the run's output showed (step, loss, ...), empty when none
 */
public record RunSummary(String runId, Path dir, List<String> argv, String backend, Instant started, int attempt,
                         String status, String fix, Instant finished, Map<String, Object> progress, RunLock.Owner owner) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public static RunSummary read(Path dir) throws IOException {
        List<JsonNode> records = JournalReader.read(dir.resolve("journal.jsonl"));
        List<String> argv = List.of();
        String backend = "";
        Instant started = null;
        Instant finished = null;
        String finishedStatus = null;
        String fix = null;
        int attempt = 0;
        Map<String, Object> progress = Map.of();
        for (JsonNode r : records) {
            switch (r.path("event").asText()) {
                case "run_started", "run_resumed" -> {
                    if (started == null) {
                        started = instant(r);
                    }
                    argv = JournalReader.strings(r.path("argv"));
                    backend = r.path("backend").asText();
                    finishedStatus = null;
                    finished = null;
                }
                case "attempt_started" -> attempt = Math.max(attempt, r.path("attempt").asInt());
                case "attempt_finished" -> {
                    // progress records are spaced out; the attempt's end has its last progress
                    if (r.path("last_progress").size() > 0) {
                        progress = JSON.convertValue(r.path("last_progress"), LinkedHashMap.class);
                    }
                }
                case "fix_applied" -> fix = r.path("fix").asText();
                case "progress" -> progress = progressFields(r);
                case "run_finished" -> {
                    finishedStatus = r.path("status").asText();
                    finished = instant(r);
                }
                default -> {
                }
            }
        }
        RunLock.Owner owner = RunLock.liveOwner(dir).orElse(null);
        String status = owner != null ? "running" : finishedStatus != null ? finishedStatus : "dead";
        return new RunSummary(dir.getFileName().toString(), dir, argv, backend, started, attempt, status, fix, finished,
                progress, owner);
    }

    public boolean live() {
        return owner != null;
    }

    private static Map<String, Object> progressFields(JsonNode r) {
        Map<String, Object> m = new LinkedHashMap<>();
        r.fields().forEachRemaining(e -> {
            if (!List.of("ts", "event", "attempt").contains(e.getKey())) {
                m.put(e.getKey(), JSON.convertValue(e.getValue(), Object.class));
            }
        });
        return m;
    }

    private static Instant instant(JsonNode r) {
        try {
            return Instant.parse(r.path("ts").asText());
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }
}
