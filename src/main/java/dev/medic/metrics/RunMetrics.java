package dev.medic.metrics;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.TreeMap;

/** What the metrics say about one run, folded from its journal records as they are written. */
final class RunMetrics {
    static final String RUNNING = "running";

    final String runId;
    String status = RUNNING;
    double startTime = Double.NaN;
    double lastEventTime = Double.NaN;
    long attempts;
    long requeues;
    long warnings;
    Double lastExitCode;
    final Map<String, Long> failures = new TreeMap<>();
    final Map<String, Long> fixes = new TreeMap<>();
    final Progress progress = new Progress();

    /** The last progress the run reported; a field a report leaves out keeps its earlier value. */
    static final class Progress {
        Double step;
        Double totalSteps;
        Double epoch;
        Double loss;
        Double learningRate;
        Double throughput;
        String throughputUnit = "";
        double time = Double.NaN;

        void update(Map<?, ?> p, double at) {
            step = or(TextFormat.number(p.get("step")), step);
            totalSteps = or(TextFormat.number(p.get("total_steps")), totalSteps);
            epoch = or(TextFormat.number(p.get("epoch")), epoch);
            loss = or(TextFormat.number(p.get("loss")), loss);
            learningRate = or(TextFormat.number(p.get("learning_rate")), learningRate);
            Double t = TextFormat.number(p.get("throughput"));
            if (t != null) {
                throughput = t;
                Object unit = p.get("throughput_unit");
                throughputUnit = unit == null ? "" : unit.toString();
            }
            time = at;
        }

        private static Double or(Double v, Double before) {
            return v != null ? v : before;
        }
    }

    RunMetrics(String runId) {
        this.runId = runId;
    }

    void apply(Map<String, Object> rec) {
        double at = epochSeconds(rec.get("ts"));
        if (!Double.isNaN(at)) {
            lastEventTime = at;
        }
        switch (String.valueOf(rec.get("event"))) {
            case "run_started", "run_resumed" -> startTime = at;
            case "attempt_started" -> attempts++;
            case "attempt_finished" -> {
                Double code = TextFormat.number(rec.get("exit_code"));
                if (code != null) {
                    lastExitCode = code;
                }
                if (rec.get("last_progress") instanceof Map<?, ?> p) {
                    progress.update(p, at);
                }
            }
            case "failure" -> {
                // root causes only: a consequence (NCCL timeouts after one rank's OOM) is not a failure of its own
                if (Boolean.TRUE.equals(rec.get("root")) && rec.get("failure") != null) {
                    failures.merge(rec.get("failure").toString(), 1L, Long::sum);
                }
            }
            case "fix_applied" -> {
                if (rec.get("fix") != null) {
                    fixes.merge(rec.get("fix").toString(), 1L, Long::sum);
                }
            }
            case "requeued" -> requeues++;
            case "warning" -> warnings++;
            case "progress" -> progress.update(rec, at);
            case "run_finished" -> {
                if (rec.get("status") != null) {
                    status = rec.get("status").toString();
                }
            }
            default -> {
                // other events change no metric
            }
        }
    }

    private static double epochSeconds(Object ts) {
        if (ts == null) {
            return Double.NaN;
        }
        try {
            Instant i = Instant.parse(ts.toString());
            return i.getEpochSecond() + i.getNano() / 1_000_000 / 1000.0;
        } catch (DateTimeParseException e) {
            return Double.NaN;
        }
    }
}
