package dev.medic.journal;

import dev.medic.logs.Redactor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JournalCodecTest {
    @TempDir
    Path tmp;

    @Test
    void everyRecordOfRealJournalsReadsAsItsOwnKind() throws Exception {
        for (String name : List.of("mlp-nan-lr5", "mlp-oom-4M", "no-gpu-cpu-fallback")) {
            List<String> lines = Files.readAllLines(OldJournals.journal(name));
            List<Event> events = JournalReader.read(OldJournals.journal(name));
            assertEquals(lines.size(), events.size(), name);
            for (int i = 0; i < lines.size(); i++) {
                Event e = events.get(i);
                assertFalse(e instanceof Event.Unknown, name + ": " + lines.get(i));
                assertTrue(lines.get(i).contains("\"event\":\"" + e.kind() + "\""), e.kind() + " for " + lines.get(i));
            }
        }
    }

    @Test
    void aListenerSeesEachRecordAsTheFileReadsBack() throws Exception {
        Path file = Files.createDirectories(tmp.resolve("run")).resolve("journal.jsonl");
        List<Event> seen = new ArrayList<>();
        try (Journal j = new Journal(file, Redactor.fromEnvironments(Map.of("API_TOKEN", "s3cret"), Map.of()))) {
            j.addListener(seen::add);
            j.record("run_started", 0, fields("format", 1, "run_id", "r1", "argv", List.of("python3", "t.py", "--password", "hunter2"),
                    "max_attempts", 5, "dry_run", false));
            j.record("attempt_finished", 1, fields("exit_code", null, "signal", "KILL", "duration_ms", 12_345_678_901L,
                    "last_progress", fields("step", 7L, "loss", 0.25)));
            j.record("failure", 1, fields("failure", "cuda_oom", "root", true, "matches", 3,
                    "evidence", List.of(fields("line", 4, "stream", "stderr", "text", "token s3cret: out of memory"))));
            j.record("progress", 1, fields("step", 8, "throughput", 1.5, "throughput_unit", "it/s"));
            j.record("gpu_reset", 1, fields("gpu", "0"));
        }
        assertEquals(JournalReader.read(file), seen);
        Event.RunStarted start = assertInstanceOf(Event.RunStarted.class, seen.get(0));
        assertEquals(List.of("python3", "t.py", "--password", Redactor.MASK), start.argv(), "redacted before anyone sees it");
        assertEquals(1, start.format());
        Event.AttemptFinished end = assertInstanceOf(Event.AttemptFinished.class, seen.get(1));
        assertNull(end.exitCode());
        assertEquals(12_345_678_901L, end.durationMs());
        assertEquals(Map.of("step", 7, "loss", 0.25), end.lastProgress());
        Event.Failure failure = assertInstanceOf(Event.Failure.class, seen.get(2));
        assertEquals(List.of(new Event.Evidence(4, "stderr", "token " + Redactor.MASK + ": out of memory")), failure.evidence());
        assertEquals(Map.of("step", 8, "throughput", 1.5, "throughput_unit", "it/s"),
                assertInstanceOf(Event.Progress.class, seen.get(3)).fields());
        assertEquals("gpu_reset", seen.get(4).kind());
    }

    @Test
    void aLineThatIsNotAJsonObjectIsRefusedAndReportedByTheReader() throws Exception {
        assertThrows(java.io.IOException.class, () -> JournalCodec.decode("[1,2]"));
        assertThrows(java.io.IOException.class, () -> JournalCodec.decode("{\"ts\":\"2026-01-01T00:00:00Z\",\"event\":\"run_fin"));
        Path file = tmp.resolve("j.jsonl");
        Files.writeString(file, "{\"event\":\"warning\",\"attempt\":2,\"message\":\"m\"}\n[1]\n\n{\"event\":\"warning\",\"attempt\":3,\"message\"");
        List<Integer> damaged = new ArrayList<>();
        List<Event> events = JournalReader.read(file, damaged::add);
        assertEquals(List.of(new Event.Warning(null, 2, "m")), events, "a missing time reads as null, not as a failure");
        assertEquals(List.of(2, 4), damaged);
    }

    @Test
    void everyKindWrittenReadsBackAsTheSameEvent() throws Exception {
        List<String> argv = List.of("python3", "t.py", "--bs", "32");
        List<Event> written = List.of(
                new Event.RunStarted(null, 0, 1, "r1", argv, "/w", "0.2", "local", "rules/", "catalog/", "/w/.medic/runs/r1", 5, false),
                new Event.RunResumed(null, 1, "r1", argv, List.of("HOME"), "0.2", "local", "escalated", null, 5, 1),
                new Event.AttemptStarted(null, 2, argv, List.of(), 42L, "pid 42", "/w/attempt-2.log", Map.of("marker", "m")),
                new Event.AttemptAdopted(null, 2, 42L, "pid 42", "/w/attempt-2.log", 10, 100, 0),
                new Event.AttemptAbandoned(null, 2, "its supervisor died"),
                new Event.AttemptStopping(null, 2, "nan_loss seen 3 times", "nan_loss"),
                new Event.AttemptFinished(null, 2, null, "KILL", null, 5, 3, 30, 0, 0, false, true, "stall", Map.of("step", 7), "oom-kill"),
                new Event.Requeued(null, 2, "PREEMPTED"),
                new Event.Progress(null, 2, Map.of("step", 8, "loss", 0.5)),
                new Event.Failure(null, 2, "cuda_oom", true, "cuda_oom|x", 1, List.of(new Event.Evidence(4, "stderr", "x"))),
                new Event.Decision(null, 2, "cuda_oom", "reduce_batch_size", Map.of("factor", 0.5), 1, "rung 1",
                        List.of(new Event.Skipped(0, "set_env", "spent"))),
                new Event.Decision(null, 2, null, "escalate", Map.of(), null, "no rule chose a fix", List.of()),
                new Event.FixPlanned(null, 2, "reduce_batch_size", List.of("argv[3] --bs: 32 -> 16"), argv),
                new Event.FixAction(null, 2, "pip_install", "pip install x", List.of("pip", "install", "x"), true, "ok", List.of("done"), null),
                new Event.FixApplied(null, 2, "reduce_batch_size", List.of("c"), argv, List.of(), Map.of("A", "1"), List.of("B"), Map.of(),
                        true, false),
                new Event.LayerSkipped(null, 2, "resume", "no checkpoint"),
                new Event.Backoff(null, 2, 1500),
                new Event.Escalated(null, 2, null, "budget spent", Map.of("console", "printed")),
                new Event.RunFinished(null, 2, RunStatus.DRY_RUN, 1, 2, 99),
                new Event.FlagsDiscovered(null, 1, "/w/t.py", "help", 3, null),
                new Event.Warning(null, 2, "w"),
                new Event.Reloaded(null, 2, "rules reloaded"),
                new Event.LeftoverStopped(null, 2, "stopped pid 41"),
                new Event.LinkRefused(null, 2, "/w/x", "a link"),
                new Event.RulesFailed(null, 2, "choose.drl:3: oops"),
                new Event.LogWriteFailed(null, 2, "/w/attempt-2.log", "disk full"),
                new Event.Unknown(null, 2, "gpu_reset", Map.of("gpu", "0")));
        Path file = Files.createDirectories(tmp.resolve("run")).resolve("journal.jsonl");
        try (Journal j = new Journal(file, Redactor.fromEnvironments(Map.of()))) {
            written.forEach(j::write);
        }
        List<Event> read = JournalReader.read(file);
        assertEquals(written.size(), read.size());
        for (int i = 0; i < written.size(); i++) {
            Event w = written.get(i);
            Event r = read.get(i);
            assertEquals(w.kind(), r.kind());
            assertEquals(w.attempt(), r.attempt());
            assertTrue(r.ts() != null, "the journal stamps the time");
            assertEquals(JournalCodec.fields(w), JournalCodec.fields(r), w.kind());
        }
        assertTrue(Files.readAllLines(file).get(0).matches("\\{\"ts\":\"[^\"]+\",\"event\":\"run_started\",\"attempt\":0,\"format\":1,"
                + "\"run_id\":\"r1\",\"argv\":\\[\"python3\",\"t.py\",\"--bs\",\"32\"\\],\"cwd\":\"/w\",.*"), "the order it has always had");
        assertFalse(Files.readAllLines(file).get(11).contains("\"step\""), "a decision no rule made has no step");
    }

    private static Map<String, Object> fields(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
