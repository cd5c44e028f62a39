package dev.medic.metrics;

import dev.medic.journal.Event;
import dev.medic.journal.RunHistory;
import dev.medic.journal.RunStatus;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/** What the metrics say about one run, folded from its journal records as they are written. */
final class RunMetrics {
    final String runId;
    private final RunHistory history = new RunHistory();
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

    void apply(Event e) {
        history.add(e);
        double at = epochSeconds(e.ts());
        if (!Double.isNaN(at)) {
            lastEventTime = at;
        }
        if (e instanceof Event.RunStarted || e instanceof Event.RunResumed) {
            startTime = at;
        } else if (e instanceof Event.AttemptStarted) {
            attempts++;
        } else if (e instanceof Event.AttemptFinished f) {
            if (f.exitCode() != null) {
                lastExitCode = f.exitCode().doubleValue();
            }
            progress.update(f.lastProgress(), at);
        } else if (e instanceof Event.Failure f) {
            // root causes only: a consequence (NCCL timeouts after one rank's OOM) is not a failure of its own
            if (f.root() && f.failure() != null) {
                failures.merge(f.failure(), 1L, Long::sum);
            }
        } else if (e instanceof Event.FixApplied f) {
            if (f.fix() != null) {
                fixes.merge(f.fix(), 1L, Long::sum);
            }
        } else if (e instanceof Event.Requeued) {
            requeues++;
        } else if (e instanceof Event.Warning) {
            warnings++;
        } else if (e instanceof Event.Progress p) {
            progress.update(p.fields(), at);
        }
    }

    /** Running until its run_finished says how it ended. */
    RunStatus status() {
        return history.status(RunStatus.RUNNING);
    }

    private static double epochSeconds(Instant ts) {
        return ts == null ? Double.NaN : ts.getEpochSecond() + ts.getNano() / 1_000_000 / 1000.0;
    }
}
