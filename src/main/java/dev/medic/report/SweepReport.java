package dev.medic.report;

import dev.medic.journal.JournalReader;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A sweep as the report shows it: one row a trial, from its {@code sweep.jsonl}, with the last loss its run showed. */
public record SweepReport(String id, List<Trial> trials) {

    /** One trial: its parameters as shown, its run (null when it never started), status, attempts, root failure, fixes and last loss (null when none). */
    public record Trial(int trial, Map<String, String> params, String runId, String status, int attempts, String rootFailure,
                        List<String> fixes, Double lastLoss) {
    }

    /** The sweep in {@code dir}; {@code runs} are its trials' runs, by run id. */
    static SweepReport read(Path dir, Map<String, RunReport> runs) throws IOException {
        List<Trial> trials = new ArrayList<>();
        for (Map<String, Object> r : JournalReader.objects(dir.resolve("sweep.jsonl"), line -> {
        })) {
            Map<String, String> params = new LinkedHashMap<>();
            if (r.get("params") instanceof Map<?, ?> p) {
                p.forEach((k, v) -> params.put(String.valueOf(k), String.valueOf(v)));
            }
            String runId = text(r.get("run_id"));
            RunReport run = runId == null ? null : runs.get(runId);
            trials.add(new Trial(r.get("trial") instanceof Number n ? n.intValue() : 0, params, runId, text(r.get("status")),
                    r.get("attempts") instanceof Number n ? n.intValue() : 0, text(r.get("root_failure")),
                    r.get("fixes") instanceof List<?> l ? l.stream().map(String::valueOf).toList() : List.of(),
                    run == null ? null : run.lastLoss()));
        }
        trials.sort(Comparator.comparingInt(Trial::trial));
        return new SweepReport(dir.getFileName().toString(), List.copyOf(trials));
    }

    private static String text(Object v) {
        return v == null || "".equals(v) ? null : String.valueOf(v);
    }

    /** The parameters whose every shown value is a number, in the order the first trial has them: what the loss charts are drawn against. */
    public List<String> numericParams() {
        List<String> out = new ArrayList<>();
        if (trials.isEmpty()) {
            return out;
        }
        for (String name : trials.get(0).params().keySet()) {
            if (trials.stream().allMatch(t -> number(t.params().get(name)) != null)) {
                out.add(name);
            }
        }
        return out;
    }

    static Double number(String s) {
        try {
            return s == null ? null : Double.valueOf(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
