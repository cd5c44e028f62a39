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
        return Fixtures.shared("corpus");
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
        assertEquals(List.of("argv[3] --batch-size: 64 -> 32"), strings(withBatch.path("decision").path("changes")));
        assertEquals(List.of("python", "train.py", "--batch-size", "32"), strings(withBatch.path("decision").path("argv")));
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
    void aMissingModuleShowsThePackageAndThePipCommand() throws Exception {
        Path log = tmp.resolve("cv2.log");
        Files.writeString(log, "Traceback (most recent call last):\n  File \"train.py\", line 1, in <module>\n    import cv2\n"
                + "ModuleNotFoundError: No module named 'cv2'\n");
        JsonNode without = replay("--exit-code", "1", log.toString());
        assertEquals("pip_install", without.path("decision").path("fix").asText(), without.toString());
        // the package comes from the log, so it is planned without a command; "python" stands for the interpreter
        assertEquals(List.of("install opencv-python for module cv2: python -m pip install --no-input opencv-python"),
                strings(without.path("decision").path("changes")));
        assertTrue(without.path("need_command").isEmpty(), without.toString());
        JsonNode with = replay("--exit-code", "1", log.toString(), "--", "/opt/venv/bin/python", "train.py");
        assertEquals(List.of("install opencv-python for module cv2: /opt/venv/bin/python -m pip install --no-input opencv-python"),
                strings(with.path("decision").path("changes")));
    }

    @Test
    void aModuleNameThatFailsValidationShowsNoPipFix() throws Exception {
        for (String name : List.of("x; rm -rf /", "../../etc/passwd", "evil/module", "$(curl x)")) {
            Path log = tmp.resolve("bad.log");
            Files.writeString(log, "ModuleNotFoundError: No module named '" + name + "'\n");
            for (JsonNode j : List.of(replay("--exit-code", "1", log.toString()),
                    replay("--exit-code", "1", log.toString(), "--", "python", "train.py"))) {
                assertEquals("import_error", j.path("failure").asText(), j.toString());
                assertEquals("escalate", j.path("decision").path("fix").asText(), name + ": " + j);
                assertTrue(j.path("decision").path("changes").isEmpty(), j.toString());
                assertFalse(j.path("decision").toString().contains("pip"), j.toString());
            }
        }
    }

    @Test
    void withoutACommandEnvironmentFixesArePlannedAndTheRestNamed() throws Exception {
        Path log = tmp.resolve("frag.log");
        Files.writeString(log, "torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 20.00 MiB. GPU 0 has a total capacity"
                + " of 139.72 GiB of which 4.00 MiB is free. Of the allocated memory 120.00 GiB is allocated by PyTorch, and 6.00 GiB"
                + " is reserved by PyTorch but unallocated.\n");
        JsonNode j = replay("--exit-code", "1", log.toString());
        assertEquals("expandable_segments", j.path("decision").path("fix").asText(), j.toString());
        assertEquals(List.of("env PYTORCH_CUDA_ALLOC_CONF: (unset) -> 'expandable_segments:True' (20.00 MiB wanted; "
                + "4.00 MiB free and 6.00 GiB reserved but unallocated)"), strings(j.path("decision").path("changes")));
        assertEquals(List.of("reduce_batch_size"), strings(j.path("need_command")));
        assertTrue(j.path("decision").path("argv").isNull(), "no command, no next command");
        Path oom = tmp.resolve("oom.log");
        Files.writeString(oom, "torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB\n");
        JsonNode batch = replay("--exit-code", "1", oom.toString());
        assertEquals("reduce_batch_size", batch.path("decision").path("fix").asText(), batch.toString());
        assertEquals(List.of("reduce_batch_size: depends on the command; give it after --"),
                strings(batch.path("decision").path("changes")));
    }

    @Test
    void theTextOutputPrintsTheChangeLines() throws Exception {
        Path log = tmp.resolve("oom.log");
        Files.writeString(log, "torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB\n");
        InProcess r = InProcess.run("replay", "--rules", Fixtures.rulesDir().toString(), "--catalog", Fixtures.catalogDir().toString(),
                "--exit-code", "1", log.toString(), "--", "python", "train.py", "--batch-size", "64");
        assertEquals(ExitCodes.SUCCESS, r.exitCode(), r.err());
        assertTrue(r.out().contains("decision: reduce_batch_size (rung 1 of the cuda_oom ladder)\n"
                + "  change: argv[3] --batch-size: 64 -> 32\n  next command: python train.py --batch-size 32\n"), r.out());
        InProcess none = InProcess.run("replay", "--rules", Fixtures.rulesDir().toString(), "--catalog",
                Fixtures.catalogDir().toString(), "--exit-code", "1", log.toString());
        assertTrue(none.out().contains("not planned without the command: reduce_batch_size (give it after --)"), none.out());
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new java.util.ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
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
        Files.writeString(log, "x".repeat(40) + "yz\ntorch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB\n");
        InProcess r = InProcess.run("replay", "--json", "--rules", Fixtures.rulesDir().toString(), "--catalog", catalog.toString(),
                "--exit-code", "1", log.toString());
        assertEquals(ExitCodes.SUCCESS, r.exitCode(), r.err());
        assertEquals("cuda_oom", JSON.readTree(r.out()).path("failure").asText(), r.out());
        assertTrue(r.err().contains("medic: warning: catalog pattern slow_pattern.signatures[0] gave up on 1 line(s)"), r.err());
    }
}
