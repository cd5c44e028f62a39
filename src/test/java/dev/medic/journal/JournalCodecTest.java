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

    private static Map<String, Object> fields(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
