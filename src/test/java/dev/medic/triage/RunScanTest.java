package dev.medic.triage;

import dev.medic.journal.OldJournals;
import dev.medic.logs.Redactor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RunScanTest {
    @TempDir
    Path tmp;

    @Test
    void aRunWhoseSupervisorWasKilledIsReadAndLeftOutBesideOneThatEscalated() throws Exception {
        Path runs = tmp.resolve("runs");
        Files.copy(OldJournals.journal("killed"), Files.createDirectories(runs.resolve("20260101-000000-0001")).resolve("journal.jsonl"));
        Files.writeString(Files.createDirectories(runs.resolve("20260101-000000-0002")).resolve("journal.jsonl"), String.join("\n",
                "{\"ts\":\"2026-01-01T00:00:00Z\",\"event\":\"run_started\",\"attempt\":0,\"run_id\":\"r2\",\"argv\":[\"python3\",\"t.py\"]}",
                "{\"ts\":\"2026-01-01T00:00:01Z\",\"event\":\"attempt_started\",\"attempt\":1,\"argv\":[\"python3\",\"t.py\"]}",
                "{\"ts\":\"2026-01-01T00:00:02Z\",\"event\":\"attempt_finished\",\"attempt\":1,\"exit_code\":3,\"signal\":null}",
                "{\"ts\":\"2026-01-01T00:00:03Z\",\"event\":\"failure\",\"attempt\":1,\"failure\":\"unknown\",\"root\":true,\"matches\":1,"
                        + "\"evidence\":[{\"line\":2,\"stream\":\"stderr\",\"text\":\"ValueError: bad shape 3\"}]}",
                "{\"ts\":\"2026-01-01T00:00:04Z\",\"event\":\"run_finished\",\"attempt\":1,\"status\":\"escalated\"}") + "\n");
        List<String> warnings = new ArrayList<>();
        RunScan.Result r = RunScan.scan(runs, tmp.resolve("sweeps"), Redactor.fromEnvironments(Map.of()), warnings::add);
        assertEquals(2, r.runs());
        assertEquals(1, r.occurrences().size(), r.occurrences().toString());
        Occurrence o = r.occurrences().get(0);
        assertEquals("20260101-000000-0002", o.run());
        assertEquals("ValueError: bad shape 3", o.line().text());
        assertEquals(3, o.exit().code());
        assertEquals(List.of(runs.resolve("20260101-000000-0001/journal.jsonl") + ": line 8 is not a JSON record; skipped"), warnings);
    }
}
