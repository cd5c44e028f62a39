package dev.medic.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The report's aggregates over the real journals in src/test/resources/journals. */
class ReportDataTest {
    @TempDir
    Path tmp;

    /** A run folder named {@code id} under tmp/runs holding the journal fixture {@code name}. */
    private void run(String id, String name) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("runs").resolve(id));
        try (var in = ReportDataTest.class.getResourceAsStream("/journals/" + name)) {
            Files.copy(in, dir.resolve("journal.jsonl"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private ReportData read() throws IOException {
        run("20261204-165607-51bb", "mlp-oom-4M.jsonl");
        run("20261204-165700-nan0", "mlp-nan-lr5.jsonl");
        run("20261204-165800-cpu0", "no-gpu-cpu-fallback.jsonl");
        run("20261204-165900-kill", "killed.jsonl");
        return ReportData.read(tmp.resolve("runs"), tmp.resolve("sweeps"), null, Instant.parse("2026-12-05T00:00:00Z"));
    }

    @Test
    void countsRunsAndAttemptsByOutcome() throws IOException {
        ReportData data = read();
        assertEquals(Map.of(Outcome.SUCCEEDED_FIRST_TIME, 0, Outcome.RECOVERED, 2, Outcome.ESCALATED, 1, Outcome.FAILED, 0,
                Outcome.RUNNING, 1), data.runsByOutcome());
        assertEquals(6, data.attemptsByOutcome().get(Outcome.RECOVERED));
        assertEquals(2, data.attemptsByOutcome().get(Outcome.ESCALATED));
        assertEquals(2, data.attemptsByOutcome().get(Outcome.RUNNING));
        java.time.LocalDate day = java.time.LocalDate.parse("2026-12-04");
        assertEquals(Map.of(day, Map.of(Outcome.RECOVERED, 2, Outcome.ESCALATED, 1, Outcome.RUNNING, 1)), data.runsByDay());
        assertEquals(Map.of(day, Map.of(Outcome.RECOVERED, 6, Outcome.ESCALATED, 2, Outcome.RUNNING, 2)), data.attemptsByDay());
    }

    @Test
    void hoursPerFailureAreTheWallTimeOfTheAttemptsThatEndedInItCostliestFirst() throws IOException {
        Map<String, Double> hours = read().hoursByFailure();
        assertEquals(List.of("cuda_oom", "nan_loss", "cuda_unavailable"), List.copyOf(hours.keySet()));
        assertEquals((9064 + 9490 + 10373 + 9064) / 3_600_000.0, hours.get("cuda_oom"), 1e-9);
        assertEquals((8747 + 8489) / 3_600_000.0, hours.get("nan_loss"), 1e-9);
    }

    @Test
    void fixEffectivenessCountsWhetherTheNextAttemptGotPastTheFailureAndWhetherTheRunSucceeded() throws IOException {
        List<FixEffect> rows = read().fixEffects();
        assertEquals(List.of(
                new FixEffect("cuda_oom", 0, "set_env", 1, 0, 1),
                // tried after attempts 1 and 3 of the OOM run (2 failed the same way, 4 succeeded), and after attempt 1 of
                // the killed run, whose attempt 2 never finished
                new FixEffect("cuda_oom", 1, "reduce_batch_size", 3, 1, 2),
                new FixEffect("cuda_unavailable", 0, "cpu_fallback", 1, 1, 1),
                new FixEffect("nan_loss", 1, "scale_learning_rate", 1, 0, 0)), rows);
        assertTrue(rows.get(0).neverHelps());
        assertFalse(rows.get(1).neverHelps());
        assertTrue(rows.get(3).neverHelps());
    }

    @Test
    void perRunItKeepsTheAttemptsFixChangesEvidenceAndProgressWithNaNs() throws IOException {
        ReportData data = read();
        RunReport oom = data.runs().get(0);
        assertEquals("20261204-165607-51bb", oom.id());
        assertEquals(4, oom.attempts().size());
        assertEquals("cuda_oom", oom.attempts().get(0).failure());
        assertTrue(oom.attempts().get(0).evidence().get(0).startsWith("torch.OutOfMemoryError"), oom.attempts().get(0).evidence().toString());
        assertEquals(List.of("argv[3] --batch-size: 4000000 -> 2000000", "argv[5] --gradient-accumulation-steps: 1 -> 2 (effective batch unchanged)"),
                oom.fixes().get(0).changes());
        assertEquals(List.of(new Point(4, 0, 1.0506, null), new Point(4, 2, 1.0379, null)),
                oom.progress().stream().filter(p -> p.step() == 0 || p.step() == 2).toList());
        RunReport nan = data.runs().get(1);
        assertTrue(nan.progress().stream().anyMatch(p -> p.attempt() == 1 && p.loss().isNaN()), nan.progress().toString());
        assertTrue(nan.progress().stream().anyMatch(p -> p.attempt() == 2 && p.loss().isInfinite()), nan.progress().toString());
    }

    @Test
    void sinceLeavesOutRunsThatStartedBefore() throws IOException {
        read();
        ReportData recent = ReportData.read(tmp.resolve("runs"), tmp.resolve("sweeps"), Instant.parse("2026-12-04T16:56:30Z"),
                Instant.parse("2026-12-05T00:00:00Z"));
        assertFalse(recent.runs().stream().anyMatch(r -> r.id().equals("20261204-165607-51bb")));
    }

    @Test
    void aSweepHasItsTrialTableWithEachTrialsLastLossAndItsRunsCountAsRuns() throws IOException {
        Path sweep = Files.createDirectories(tmp.resolve("sweeps/sweep-1"));
        for (String[] t : new String[][] {{"t-oom", "mlp-oom-4M.jsonl"}, {"t-nan", "mlp-nan-lr5.jsonl"}}) {
            Path dir = Files.createDirectories(sweep.resolve("trials").resolve(t[0]));
            try (var in = ReportDataTest.class.getResourceAsStream("/journals/" + t[1])) {
                Files.copy(in, dir.resolve("journal.jsonl"));
            }
        }
        Files.writeString(sweep.resolve("sweep.jsonl"), """
                {"trial":2,"params":{"lr":"5","opt":"sgd"},"attempts":2,"root_failure":"nan_loss","fixes":["scale_learning_rate"],"status":"escalated","run_id":"t-nan"}
                {"trial":1,"params":{"lr":"0.001","opt":"sgd"},"attempts":4,"root_failure":"","fixes":[],"status":"succeeded","run_id":"t-oom"}
                {"trial":3,"params":{"lr":"0.1","opt":"adam"},"attempts":0,"status":"skipped"}
                """);
        ReportData data = ReportData.read(tmp.resolve("runs"), tmp.resolve("sweeps"), null, Instant.parse("2026-12-05T00:00:00Z"));
        assertEquals(2, data.runs().size());
        assertEquals("sweep-1", data.runs().get(0).sweep());
        SweepReport s = data.sweeps().get(0);
        assertEquals(List.of(1, 2, 3), s.trials().stream().map(SweepReport.Trial::trial).toList());
        assertEquals(1.0379, s.trials().get(0).lastLoss());
        assertTrue(s.trials().get(1).lastLoss().isNaN());
        assertEquals(null, s.trials().get(2).lastLoss());
        assertEquals(List.of("lr"), s.numericParams());
        String html = HtmlReport.render(data);
        assertTrue(html.contains("<h2 id=\"sweep-sweep-1\">"), html);
        assertTrue(html.contains("<circle class=\"dot\""), "the finite last loss is a dot: " + html);
        assertTrue(html.contains("<title>5: NaN</title>"), "the NaN one a cross: " + html);
    }

    @Test
    void anEmptyOrTornJournalIsARunningRunWithWhatItHas() throws IOException {
        Path empty = Files.createDirectories(tmp.resolve("runs/20261204-000000-empt"));
        Files.writeString(empty.resolve("journal.jsonl"), "");
        Path torn = Files.createDirectories(tmp.resolve("runs/20261204-000001-torn"));
        Files.writeString(torn.resolve("journal.jsonl"), """
                {"ts":"2026-12-04T10:00:00Z","event":"run_started","attempt":0,"run_id":"torn","argv":["python3","t.py"],"backend":"local"}
                {"ts":"2026-12-04T10:00:01Z","event":"attempt_started","attempt":1,"argv":["python3","t.py"],"env_changed":[]}
                {"ts":"2026-12-04T10:00:02Z","event":"progress","attempt":1,"st""");
        ReportData data = ReportData.read(tmp.resolve("runs"), tmp.resolve("sweeps"), null, Instant.parse("2026-12-05T00:00:00Z"));
        assertEquals(List.of(0, 1), data.runs().stream().map(r -> r.attempts().size()).toList());
        assertEquals(List.of(Outcome.RUNNING, Outcome.RUNNING), data.runs().stream().map(RunReport::outcome).toList());
        assertFalse(data.runs().get(1).attempts().get(0).finished());
        String html = HtmlReport.render(data);
        assertTrue(html.contains("running or killed"), html);
    }
}
