package dev.medic.supervise;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.medic.facts.FixApplied;
import dev.medic.facts.PastFailure;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the choice rules know of a run's earlier attempts (root failures, fixes applied), read back
 * from its journal, so {@code medic replay --history} decides as the live run would have next.
 */
public record History(List<PastFailure> pastFailures, List<FixApplied> applied, int attempts, List<String> lastArgv) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public History {
        pastFailures = List.copyOf(pastFailures);
        applied = List.copyOf(applied);
        lastArgv = List.copyOf(lastArgv);
    }

    public static History none() {
        return new History(List.of(), List.of(), 0, List.of());
    }

    @SuppressWarnings("unchecked")
    public static History fromJournal(List<JsonNode> records) {
        List<PastFailure> past = new ArrayList<>();
        List<FixApplied> applied = new ArrayList<>();
        Map<Integer, JsonNode> decisions = new HashMap<>();
        int attempts = 0;
        List<String> argv = List.of();
        for (JsonNode r : records) {
            int n = r.path("attempt").asInt();
            switch (r.path("event").asText()) {
                case "attempt_started" -> {
                    attempts = Math.max(attempts, n);
                    argv = strings(r.path("argv"));
                }
                case "failure" -> {
                    if (r.path("root").asBoolean()) {
                        JsonNode ev = r.path("evidence");
                        String first = ev.isArray() && !ev.isEmpty() ? ev.get(0).path("text").asText() : "";
                        String id = r.path("failure").asText();
                        past.add(new PastFailure(n, id, id + "|" + first.strip()));
                    }
                }
                case "decision" -> decisions.put(n, r);
                case "fix_applied" -> {
                    JsonNode d = decisions.get(n);
                    Map<String, Object> params = d == null ? Map.of()
                            : JSON.convertValue(d.path("params"), LinkedHashMap.class);
                    boolean changed = !r.path("changes").isEmpty() && !r.path("fix").asText().startsWith("retry");
                    applied.add(new FixApplied(n, d == null ? "" : d.path("failure").asText(),
                            d == null ? -1 : d.path("step").asInt(-1), r.path("fix").asText(), params, changed));
                    argv = strings(r.path("argv"));
                }
                default -> {
                }
            }
        }
        return new History(past, applied, attempts, argv);
    }

    private static List<String> strings(JsonNode arr) {
        List<String> out = new ArrayList<>();
        arr.forEach(a -> out.add(a.asText()));
        return out;
    }
}
