package dev.medic.report;

import dev.medic.journal.JournalReader;
import dev.medic.journal.RunStatus;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToIntFunction;
import java.util.stream.Stream;

/**
 * What {@code medic report} shows, read from the journals of the runs under a run folder and of
 * the trials of the sweeps under a sweep folder: the runs themselves, and the aggregates over
 * them (outcomes, hours lost per failure, how each fix did).
 */
public record ReportData(Instant generated, Instant since, List<RunReport> runs, List<SweepReport> sweeps) {

    /**
     * Reads the runs under {@code runDir} and the sweeps under {@code sweepDir} that started at
     * {@code since} or later (every one when null). Dry runs, which ran nothing, are left out.
     */
    public static ReportData read(Path runDir, Path sweepDir, Instant since, Instant now) throws IOException {
        List<RunReport> runs = new ArrayList<>();
        for (Path dir : JournalReader.runs(runDir)) {
            keep(runs, RunReport.read(dir.getFileName().toString(), null, dir), since);
        }
        List<SweepReport> sweeps = new ArrayList<>();
        for (Path sweep : sweepFolders(sweepDir)) {
            Map<String, RunReport> trials = new HashMap<>();
            int before = runs.size();
            for (Path dir : JournalReader.runs(sweep.resolve("trials"))) {
                RunReport r = RunReport.read(dir.getFileName().toString(), sweep.getFileName().toString(), dir);
                trials.put(r.id(), r);
                keep(runs, r, since);
            }
            if (runs.size() > before || since == null) {
                sweeps.add(SweepReport.read(sweep, trials));
            }
        }
        return new ReportData(now, since, List.copyOf(runs), List.copyOf(sweeps));
    }

    private static void keep(List<RunReport> runs, RunReport r, Instant since) {
        if (r.status() == RunStatus.DRY_RUN || since != null && (r.started() == null || r.started().isBefore(since))) {
            return;
        }
        runs.add(r);
    }

    private static List<Path> sweepFolders(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(d -> Files.isRegularFile(d.resolve("sweep.jsonl"))).sorted().toList();
        }
    }

    /** Runs by outcome, every outcome present. */
    public Map<Outcome, Integer> runsByOutcome() {
        return byOutcome(r -> 1);
    }

    /** Attempts by the outcome of their run, every outcome present. */
    public Map<Outcome, Integer> attemptsByOutcome() {
        return byOutcome(r -> r.attempts().size());
    }

    private Map<Outcome, Integer> byOutcome(ToIntFunction<RunReport> count) {
        Map<Outcome, Integer> out = new EnumMap<>(Outcome.class);
        for (Outcome o : Outcome.values()) {
            out.put(o, 0);
        }
        runs.forEach(r -> out.merge(r.outcome(), count.applyAsInt(r), Integer::sum));
        return out;
    }

    /** Runs by the day (UTC) they started and their outcome, oldest day first; runs with no start time are left out. */
    public Map<LocalDate, Map<Outcome, Integer>> runsByDay() {
        return byDay(r -> 1);
    }

    /** Attempts by the day (UTC) their run started and its outcome, oldest day first. */
    public Map<LocalDate, Map<Outcome, Integer>> attemptsByDay() {
        return byDay(r -> r.attempts().size());
    }

    private Map<LocalDate, Map<Outcome, Integer>> byDay(ToIntFunction<RunReport> count) {
        Map<LocalDate, Map<Outcome, Integer>> out = new TreeMap<>();
        for (RunReport r : runs) {
            if (r.started() != null) {
                out.computeIfAbsent(LocalDate.ofInstant(r.started(), ZoneOffset.UTC), d -> new EnumMap<>(Outcome.class))
                        .merge(r.outcome(), count.applyAsInt(r), Integer::sum);
            }
        }
        return out;
    }

    /** Hours of attempt wall time that ended in each failure, the costliest first. */
    public Map<String, Double> hoursByFailure() {
        Map<String, Double> sum = new HashMap<>();
        runs.forEach(r -> r.hoursByFailure().forEach((k, v) -> sum.merge(k, v, Double::sum)));
        Map<String, Double> out = new LinkedHashMap<>();
        sum.entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    public List<FixEffect> fixEffects() {
        return FixEffect.of(runs);
    }
}
