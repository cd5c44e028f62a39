package dev.medic.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code sweep.jsonl} (a line per trial, appended as each ends, so a killed sweep keeps what it
 * finished) and {@code sweep.csv} (written at the end): trial, parameters, attempts, root failure,
 * fixes applied, final status, duration, run id.
 */
public final class SweepFiles {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path dir;

    public SweepFiles(Path dir) {
        this.dir = dir;
    }

    public Path jsonl() {
        return dir.resolve("sweep.jsonl");
    }

    public Path csv() {
        return dir.resolve("sweep.csv");
    }

    public synchronized void append(TrialResult r) {
        ObjectNode o = JSON.createObjectNode();
        o.put("trial", r.trial().number());
        ObjectNode params = o.putObject("params");
        r.trial().shownParams().forEach(params::put);
        o.put("attempts", r.attempts());
        o.put("root_failure", r.rootFailure());
        o.putPOJO("fixes", r.fixes());
        o.put("status", r.status());
        o.put("duration_ms", r.durationMillis());
        o.put("run_id", r.runId());
        o.putPOJO("gpus", r.gpus());
        try {
            Files.writeString(jsonl(), o + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void writeCsv(List<TrialResult> results) throws IOException {
        List<String> names = results.isEmpty() ? List.of() : List.copyOf(results.get(0).trial().params().keySet());
        StringBuilder b = new StringBuilder("trial");
        names.forEach(n -> b.append(',').append(cell(n)));
        b.append(",attempts,root_failure,fixes,status,duration_ms,run_id\n");
        for (TrialResult r : results) {
            b.append(r.trial().number());
            Map<String, String> shown = r.trial().shownParams();
            names.forEach(n -> b.append(',').append(cell(shown.getOrDefault(n, ""))));
            b.append(',').append(r.attempts()).append(',').append(cell(r.rootFailure())).append(',')
                    .append(cell(String.join(" ", r.fixes()))).append(',').append(cell(r.status())).append(',')
                    .append(r.durationMillis()).append(',').append(cell(r.runId())).append('\n');
        }
        Files.writeString(csv(), b.toString(), StandardCharsets.UTF_8);
    }

    private static String cell(String s) {
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    /**
     * The trials an earlier run of this sweep finished successfully, by label (for --resume). The
     * files hold secret values masked, so trials whose labels differ only there are told apart by
     * their number.
     */
    public java.util.Map<String, TrialResult> succeeded(List<Trial> trials) throws IOException {
        java.util.Map<String, Trial> byLabel = new java.util.HashMap<>();
        java.util.Map<String, Long> labels = new java.util.HashMap<>();
        trials.forEach(t -> labels.merge(t.label(), 1L, Long::sum));
        trials.forEach(t -> byLabel.put(key(t.label(), t.number(), labels), t));
        java.util.Map<String, TrialResult> out = new java.util.HashMap<>();
        if (!Files.isRegularFile(jsonl())) {
            return out;
        }
        for (String line : Files.readAllLines(jsonl(), StandardCharsets.UTF_8)) {
            JsonNode o;
            try {
                o = JSON.readTree(line);
            } catch (IOException e) {
                continue; // a torn last line of a killed sweep
            }
            if (!o.path("status").asText().equals("succeeded")) {
                continue;
            }
            StringBuilder b = new StringBuilder();
            o.path("params").fields().forEachRemaining(e ->
                    b.append(b.length() > 0 ? " " : "").append(e.getKey()).append('=').append(e.getValue().asText()));
            Trial t = byLabel.get(key(b.toString(), o.path("trial").asInt(), labels));
            if (t != null) {
                List<String> fixes = new java.util.ArrayList<>();
                o.path("fixes").forEach(f -> fixes.add(f.asText()));
                out.put(t.label(), new TrialResult(t, o.path("run_id").asText(), "succeeded", o.path("attempts").asInt(),
                        o.path("root_failure").asText(), fixes, o.path("duration_ms").asLong(), List.of()));
            }
        }
        return out;
    }

    private static String key(String label, int number, java.util.Map<String, Long> labels) {
        return labels.getOrDefault(label, 0L) > 1 ? label + "#" + number : label;
    }

    /** Starts the records afresh (a resumed sweep writes every trial again, the earlier successes included). */
    public void restart() throws IOException {
        Files.deleteIfExists(jsonl());
    }
}
