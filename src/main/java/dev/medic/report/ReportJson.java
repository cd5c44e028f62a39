package dev.medic.report;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The report's aggregates as plain values for {@code medic report --json}; a NaN or infinite loss is written as text, as journals write it. */
public final class ReportJson {
    private ReportJson() {
    }

    public static Map<String, Object> of(ReportData data) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("generated", data.generated().toString());
        out.put("since", data.since() == null ? null : data.since().toString());
        out.put("runs_by_outcome", byId(data.runsByOutcome()));
        out.put("attempts_by_outcome", byId(data.attemptsByOutcome()));
        out.put("runs_by_day", byDay(data.runsByDay()));
        out.put("attempts_by_day", byDay(data.attemptsByDay()));
        out.put("hours_by_failure", data.hoursByFailure());
        List<Map<String, Object>> fixes = new ArrayList<>();
        for (FixEffect f : data.fixEffects()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("failure", f.failure());
            m.put("step", f.step());
            m.put("fix", f.fix());
            m.put("tried", f.tried());
            m.put("got_past", f.gotPast());
            m.put("run_succeeded", f.succeeded());
            m.put("never_helps", f.neverHelps());
            fixes.add(m);
        }
        out.put("fix_effectiveness", fixes);
        List<Map<String, Object>> runs = new ArrayList<>();
        for (RunReport r : data.runs()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("run_id", r.id());
            m.put("sweep", r.sweep());
            m.put("status", r.status().word());
            m.put("outcome", r.outcome().id());
            m.put("started", r.started() == null ? null : r.started().toString());
            m.put("attempts", r.attempts().size());
            m.put("failures", r.attempts().stream().map(AttemptReport::failure).filter(f -> f != null).toList());
            m.put("fixes", r.fixes().stream().map(FixReport::fix).toList());
            m.put("last_loss", number(r.lastLoss()));
            runs.add(m);
        }
        out.put("runs", runs);
        List<Map<String, Object>> sweeps = new ArrayList<>();
        for (SweepReport s : data.sweeps()) {
            List<Map<String, Object>> trials = new ArrayList<>();
            for (SweepReport.Trial t : s.trials()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("trial", t.trial());
                m.put("params", t.params());
                m.put("run_id", t.runId());
                m.put("status", t.status());
                m.put("attempts", t.attempts());
                m.put("root_failure", t.rootFailure());
                m.put("fixes", t.fixes());
                m.put("last_loss", number(t.lastLoss()));
                trials.add(m);
            }
            sweeps.add(Map.of("sweep", s.id(), "trials", trials));
        }
        out.put("sweeps", sweeps);
        return out;
    }

    private static Map<String, Object> byDay(Map<LocalDate, Map<Outcome, Integer>> days) {
        Map<String, Object> out = new LinkedHashMap<>();
        days.forEach((day, counts) -> out.put(day.toString(), byId(counts)));
        return out;
    }

    private static Map<String, Integer> byId(Map<Outcome, Integer> counts) {
        Map<String, Integer> out = new LinkedHashMap<>();
        counts.forEach((o, n) -> out.put(o.id(), n));
        return out;
    }

    private static Object number(Double d) {
        return d == null || Double.isFinite(d) ? d : d.isNaN() ? "NaN" : d > 0 ? "Infinity" : "-Infinity";
    }
}
