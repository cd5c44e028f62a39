package dev.medic.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.medic.ExitCodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code medic report}: the HTML file, --json, and one-line errors for bad input. */
class ReportCommandTest {
    @TempDir
    Path tmp;

    private Path runs() throws IOException {
        Path dir = tmp.resolve("runs/20261204-165700-nan0");
        if (Files.exists(dir)) {
            return tmp.resolve("runs");
        }
        Files.createDirectories(dir);
        try (InputStream in = ReportCommandTest.class.getResourceAsStream("/journals/mlp-nan-lr5.jsonl")) {
            Files.copy(in, dir.resolve("journal.jsonl"));
        }
        return tmp.resolve("runs");
    }

    @Test
    void jsonPrintsTheAggregates() throws Exception {
        InProcess r = InProcess.run("report", "--json", "--run-dir", runs().toString(), "--sweep-dir", tmp.resolve("none").toString());
        assertEquals(0, r.exitCode(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertEquals(1, json.path("runs_by_outcome").path("escalated").asInt());
        assertEquals(2, json.path("attempts_by_day").path("2026-12-04").path("escalated").asInt());
        JsonNode fix = json.path("fix_effectiveness").get(0);
        assertEquals("nan_loss", fix.path("failure").asText());
        assertEquals("scale_learning_rate", fix.path("fix").asText());
        assertTrue(fix.path("never_helps").asBoolean());
        // attempt 2 ended at step 8 with a NaN loss (its progress record before, step 4, had an infinite one)
        assertEquals("NaN", json.path("runs").get(0).path("last_loss").asText());
        assertEquals((8747 + 8489) / 3_600_000.0, json.path("hours_by_failure").path("nan_loss").asDouble(), 1e-12);
    }

    @Test
    void itWritesOneHtmlFile() throws Exception {
        Path out = tmp.resolve("r.html");
        InProcess r = InProcess.run("report", "--run-dir", runs().toString(), "--out", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("medic: report of 1 run(s) and 0 sweep(s) written to " + out, r.err().strip());
        assertTrue(Files.readString(out).contains("id=\"run-20261204-165700-nan0\""));
    }

    @Test
    void badInputIsOneLineAndExitCode2() throws Exception {
        InProcess missing = InProcess.run("report", "--run-dir", tmp.resolve("no-runs").toString(), "--sweep-dir", tmp.resolve("no-sweeps").toString());
        assertEquals(ExitCodes.BAD_INPUT, missing.exitCode());
        assertEquals("medic: no run folder " + tmp.resolve("no-runs") + " and no sweep folder " + tmp.resolve("no-sweeps"), missing.err().strip());
        InProcess since = InProcess.run("report", "--run-dir", runs().toString(), "--since", "soon");
        assertEquals(ExitCodes.BAD_INPUT, since.exitCode());
        assertEquals(1, since.err().strip().lines().count(), since.err());
        InProcess folder = InProcess.run("report", "--run-dir", runs().toString(), "--out", tmp.toString());
        assertEquals(ExitCodes.BAD_INPUT, folder.exitCode());
        assertEquals("medic: --out " + tmp + " is a folder", folder.err().strip());
    }
}
