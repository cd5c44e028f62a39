package dev.medic.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.medic.ExitCodes;
import dev.medic.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReplayCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private static Path corpus() {
        return Fixtures.sharedCorpus();
    }

    private static JsonNode replay(String... args) throws Exception {
        String[] all = Stream.concat(Stream.of("replay", "--json", "--rules", Fixtures.rulesDir().toString(),
                "--catalog", Fixtures.catalogDir().toString()), Stream.of(args)).toArray(String[]::new);
        InProcess r = InProcess.run(all);
        assertEquals(ExitCodes.SUCCESS, r.exitCode(), r.err());
        return JSON.readTree(r.out());
    }

    @Test
    void realGpuOutOfMemoryLogsAreCudaOom() throws Exception {
        List<Path> logs;
        try (Stream<Path> s = Files.list(corpus().resolve("cuda_oom"))) {
            logs = s.filter(p -> p.getFileName().toString().matches("gpu-.*\\.log")).sorted().toList();
        }
        assertFalse(logs.isEmpty());
        for (Path log : logs) {
            JsonNode j = replay(log.toString());
            assertEquals("cuda_oom", j.path("failure").asText(), log + ": " + j);
            assertTrue(j.path("evidence").size() > 0, j.toString());
            assertEquals("reduce_batch_size", j.path("decision").path("fix").asText(), j.toString());
            assertEquals(1, j.path("exit_code").asInt(), "the sibling .exit file gives the exit code");
        }
    }

    @Test
    void healthyLogsHaveNoFailure() throws Exception {
        List<Path> logs;
        try (Stream<Path> s = Files.list(corpus().resolve("healthy"))) {
            logs = s.filter(p -> p.toString().endsWith(".log")).sorted().toList();
        }
        assertTrue(logs.size() >= 5);
        for (Path log : logs) {
            JsonNode j = replay(log.toString());
            assertTrue(j.path("failure").isNull(), log + ": " + j);
            assertTrue(j.path("decision").isNull(), log + ": " + j);
        }
    }

    @Test
    void aCommandLetsReplayPlanTheFix() throws Exception {
        Path log = tmp.resolve("oom.log");
        Files.writeString(log, "step 1\ntorch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB\n");
        JsonNode withBatch = replay("--exit-code", "1", log.toString(), "--", "python", "train.py", "--batch-size", "64");
        assertEquals("reduce_batch_size", withBatch.path("decision").path("fix").asText());
        assertEquals(2, withBatch.path("evidence").get(0).path("line").asInt());
        JsonNode without = replay("--exit-code", "1", log.toString(), "--", "python", "train.py");
        assertEquals("escalate", without.path("decision").path("fix").asText());
        boolean said = false;
        for (JsonNode s : without.path("skipped")) {
            said |= s.path("fix").asText().equals("reduce_batch_size") && s.path("reason").asText().contains("no batch size found");
        }
        assertTrue(said, without.toString());
    }

    @Test
    void aNonZeroExitWithNothingRecognisedIsUnknown() throws Exception {
        Path log = tmp.resolve("odd.log");
        Files.writeString(log, "hello\nbye\n");
        JsonNode j = replay("--exit-code", "2", log.toString());
        assertEquals("unknown", j.path("failure").asText());
        assertEquals("retry", j.path("decision").path("fix").asText());
        assertTrue(replay("--exit-code", "0", log.toString()).path("failure").isNull());
    }

    @Test
    void aMissingLogIsBadInput() {
        InProcess r = InProcess.run("replay", tmp.resolve("nope.log").toString());
        assertEquals(ExitCodes.BAD_INPUT, r.exitCode());
        assertTrue(r.err().startsWith("medic: ") && r.err().contains("nope.log: no such file"), r.err());
    }

    @Test
    void aCatastrophicCatalogPatternIsCutOffWithAWarning() throws Exception {
        Path catalog = Fixtures.catalogWithSlowPattern(tmp);
        Path log = tmp.resolve("oom.log");
        Files.writeString(log, "x".repeat(40) + " y\ntorch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB\n");
        InProcess r = InProcess.run("replay", "--json", "--rules", Fixtures.rulesDir().toString(), "--catalog", catalog.toString(),
                "--exit-code", "1", log.toString());
        assertEquals(ExitCodes.SUCCESS, r.exitCode(), r.err());
        assertEquals("cuda_oom", JSON.readTree(r.out()).path("failure").asText(), r.out());
        assertTrue(r.err().contains("medic: warning: catalog pattern slow_pattern.signatures[0] gave up on 1 line(s)"), r.err());
    }
}
