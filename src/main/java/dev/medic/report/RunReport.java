package dev.medic.report;

import dev.medic.journal.Event;
import dev.medic.journal.JournalReader;
import dev.medic.journal.RunHistory;
import dev.medic.journal.RunStatus;
import dev.medic.metrics.TextFormat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One run as the report shows it: its status and outcome from {@link RunHistory} (the one fold of
 * a journal), and from the same events its attempts, the changes its fixes made and its progress
 * points.
 */
public record RunReport(String id, String sweep, RunStatus status, Outcome outcome, Instant started, List<String> command,
                        List<AttemptReport> attempts, List<FixReport> fixes, List<Point> progress) {

    /** The run in folder {@code dir}, named {@code id}; {@code sweep} is the sweep it was a trial of, null when none. */
    public static RunReport read(String id, String sweep, Path dir) throws IOException {
        return of(id, sweep, JournalReader.read(dir.resolve("journal.jsonl")));
    }

    public static RunReport of(String id, String sweep, List<Event> events) {
        RunHistory h = RunHistory.of(events);
        Map<Integer, Instant> starts = new HashMap<>();
        Map<Integer, List<String>> changes = new HashMap<>();
        List<Point> points = new ArrayList<>();
        Map<Integer, Double> lastStep = new HashMap<>();
        for (Event e : events) {
            if (e instanceof Event.AttemptStarted a) {
                starts.putIfAbsent(a.attempt(), a.ts());
            } else if (e instanceof Event.Progress p) {
                point(points, lastStep, p.attempt(), p.fields());
            } else if (e instanceof Event.AttemptFinished f) {
                // progress records are spaced out: the attempt's end has its last progress
                point(points, lastStep, f.attempt(), f.lastProgress());
            } else if (e instanceof Event.FixApplied f) {
                changes.put(f.attempt(), f.changes());
            }
        }
        Map<Integer, Event.AttemptFinished> ends = h.ends();
        Map<Integer, Event.Failure> roots = h.roots();
        List<AttemptReport> attempts = new ArrayList<>();
        for (int n = 1; n <= h.attempts(); n++) {
            Event.AttemptFinished end = ends.get(n);
            Event.Failure root = roots.get(n);
            attempts.add(new AttemptReport(n, starts.get(n), end == null ? 0 : end.durationMs(), end != null,
                    end == null ? null : end.exitCode(), root == null ? null : root.failure(),
                    root == null ? List.of() : root.evidence().stream().map(Event.Evidence::text).toList()));
        }
        List<FixReport> fixes = h.applied().stream()
                .map(f -> new FixReport(f.attempt(), f.failureId(), f.step(), f.fixId(), changes.getOrDefault(f.attempt(), List.of())))
                .toList();
        RunStatus status = h.status(RunStatus.RUNNING_MAYBE);
        String runId = id != null ? id : h.runId();
        return new RunReport(runId, sweep, status, Outcome.of(status, h.attempts()), h.startedAt(), h.command(), attempts, fixes,
                points);
    }

    private static void point(List<Point> points, Map<Integer, Double> lastStep, int attempt, Map<String, Object> fields) {
        Double step = TextFormat.number(fields.get("step"));
        if (step == null || step.isNaN() || step <= lastStep.getOrDefault(attempt, Double.NEGATIVE_INFINITY)) {
            return;
        }
        Double loss = TextFormat.number(fields.get("loss"));
        Double lr = TextFormat.number(fields.get("learning_rate"));
        if (loss == null && lr == null) {
            return;
        }
        lastStep.put(attempt, step);
        points.add(new Point(attempt, step, loss, lr));
    }

    /** Hours of attempt wall time that ended in each root failure (an attempt that failed without one counts as "unrecognised"). */
    Map<String, Double> hoursByFailure() {
        Map<String, Double> out = new LinkedHashMap<>();
        for (AttemptReport a : attempts) {
            String failure = a.failure() != null ? a.failure()
                    : a.finished() && a.exitCode() != null && a.exitCode() != 0 ? "unrecognised" : null;
            if (failure != null) {
                out.merge(failure, a.durationMs() / 3_600_000.0, Double::sum);
            }
        }
        return out;
    }

    /** The attempt numbered {@code n}, null when the run has none. */
    AttemptReport attempt(int n) {
        return n >= 1 && n <= attempts.size() ? attempts.get(n - 1) : null;
    }

    /** The last loss its progress showed, NaN included; null when it showed none. */
    public Double lastLoss() {
        for (int i = progress.size() - 1; i >= 0; i--) {
            if (progress.get(i).loss() != null) {
                return progress.get(i).loss();
            }
        }
        return null;
    }
}
