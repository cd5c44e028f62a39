package dev.medic.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.medic.ExitCodes;
import dev.medic.journal.JournalLines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `medic run` with flag discovery on (the default), off by --no-discover, and off by `discover: false` in medic.yaml. */
class DiscoverOptionTest {
    @TempDir
    Path tmp;

    private static final String OOM_ABOVE_32 = """
            import argparse, sys
            p = argparse.ArgumentParser()
            p.add_argument('--batch-size', type=int, default=64)
            a = p.parse_args()
            if a.batch_size > 32:
                sys.stderr.write('torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB\\n')
                sys.exit(1)
            print('training done', flush=True)
            """;

    private List<JsonNode> run(String... medicArgs) throws Exception {
        Files.writeString(tmp.resolve("train.py"), OOM_ABOVE_32);
        List<String> args = new java.util.ArrayList<>(List.of("run", "--backoff", "0s", "--max-attempts", "2", "--run-dir", "runs"));
        args.addAll(List.of(medicArgs));
        args.addAll(List.of("--", "python3", "train.py"));
        MedicProcess m = MedicProcess.start(tmp, Map.of(), args.toArray(String[]::new));
        m.waitFor();
        Path runDir;
        try (var l = Files.list(tmp.resolve("runs"))) {
            runDir = l.filter(Files::isDirectory).findFirst().orElseThrow();
        }
        return JournalLines.read(runDir.resolve("journal.jsonl"));
    }

    private static List<JsonNode> events(List<JsonNode> journal, String event) {
        return journal.stream().filter(r -> r.path("event").asText().equals(event)).toList();
    }

    @Test
    void onByDefault() throws Exception {
        List<JsonNode> j = run();
        assertEquals("source", events(j, "flags_discovered").get(0).path("method").asText(), j.toString());
        assertEquals("succeeded", events(j, "run_finished").get(0).path("status").asText(), j.toString());
        assertTrue(events(j, "fix_applied").get(0).path("changes").toString().contains("--batch-size 32 added"), j.toString());
    }

    @Test
    void offWithNoDiscover() throws Exception {
        List<JsonNode> j = run("--no-discover");
        assertTrue(events(j, "flags_discovered").isEmpty(), j.toString());
        assertTrue(events(j, "fix_applied").isEmpty(), j.toString());
        assertTrue(!events(j, "run_finished").get(0).path("status").asText().equals("succeeded"));
    }

    @Test
    void offWithDiscoverFalseInMedicYaml() throws Exception {
        Files.writeString(tmp.resolve("medic.yaml"), "discover: false\n");
        List<JsonNode> j = run();
        assertTrue(events(j, "flags_discovered").isEmpty(), j.toString());
        assertTrue(events(j, "fix_applied").isEmpty(), j.toString());
    }

    @Test
    void theCommandLineWinsOverMedicYaml() throws Exception {
        Files.writeString(tmp.resolve("medic.yaml"), "discover: false\n");
        List<JsonNode> j = run("--discover");
        assertEquals(1, events(j, "flags_discovered").size(), j.toString());
        assertEquals(ExitCodes.SUCCESS, events(j, "run_finished").get(0).path("exit_code").asInt(), j.toString());
    }
}
