package dev.medic.fix;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.medic.Fixtures;
import dev.medic.catalog.Settings;
import dev.medic.catalog.YamlFiles;
import dev.medic.facts.RunSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Batch sizes in config files: a changed copy in the run folder, the user's file untouched. */
class ConfigFileBatchTest {
    @TempDir
    Path tmp;

    private FixPlan.Change plan(List<String> argv) {
        Settings s = Fixtures.defaultCatalog().fixSettings("reduce_batch_size");
        FixPlan p = new ReduceBatchSize().plan(new RunSpec(argv, Map.of(), tmp), new FixContext(s, null, tmp.resolve("run"), 2));
        return assertInstanceOf(FixPlan.Change.class, p, () -> "expected a change, got " + p);
    }

    @Test
    void aDeepSpeedConfigGetsAHalvedMicroBatchAndDoubledAccumulation() throws Exception {
        String original = """
                {
                  "train_batch_size": 256,
                  "train_micro_batch_size_per_gpu": 16,
                  "gradient_accumulation_steps": 2,
                  "fp16": {"enabled": true},
                  "zero_optimization": {"stage": 2}
                }
                """;
        Files.writeString(tmp.resolve("ds.json"), original);
        FixPlan.Change c = plan(List.of("deepspeed", "--num_gpus", "8", "train.py", "--deepspeed", "ds.json", "--lr", "1e-4"));
        Path copy = tmp.resolve("run/fix-2/ds.json");
        assertEquals(List.of("deepspeed", "--num_gpus", "8", "train.py", "--deepspeed", copy.toString(), "--lr", "1e-4"), c.next().getArgv());
        FixAction.WriteFile w = assertInstanceOf(FixAction.WriteFile.class, c.actions().get(0));
        assertEquals(copy, w.path());
        JsonNode written = new ObjectMapper().readTree(new String(w.content(), StandardCharsets.UTF_8));
        assertEquals(8, written.path("train_micro_batch_size_per_gpu").asInt());
        assertEquals(4, written.path("gradient_accumulation_steps").asInt());
        assertEquals(256, written.path("train_batch_size").asInt(), "the global batch stays");
        assertEquals(2, written.path("zero_optimization").path("stage").asInt(), "everything else is kept");
        assertEquals(original, Files.readString(tmp.resolve("ds.json")), "the user's file is never edited");
    }

    @Test
    void aYamlConfigWithANestedBatchSize() throws Exception {
        Files.writeString(tmp.resolve("cfg.yaml"), "model:\n  name: resnet50\ndata:\n  batch_size: 64\n  num_workers: 8\ntrainer:\n  max_epochs: 10\n");
        FixPlan.Change c = plan(List.of("python", "train.py", "--config=cfg.yaml"));
        assertEquals("--config=" + tmp.resolve("run/fix-2/cfg.yaml"), c.next().getArgv().get(2));
        JsonNode written = YamlFiles.read("copy", new String(((FixAction.WriteFile) c.actions().get(0)).content(), StandardCharsets.UTF_8));
        assertEquals(32, written.path("data").path("batch_size").asInt());
        assertEquals(8, written.path("data").path("num_workers").asInt());
        assertTrue(c.changes().get(0).contains("batch_size: 64 -> 32"), c.changes().toString());
    }

    @Test
    void autoValuesAreLeftToTheFramework() throws Exception {
        Files.writeString(tmp.resolve("ds.json"), "{\"train_micro_batch_size_per_gpu\": \"auto\", \"gradient_accumulation_steps\": \"auto\"}");
        Settings s = Fixtures.defaultCatalog().fixSettings("reduce_batch_size");
        FixPlan p = new ReduceBatchSize().plan(new RunSpec(List.of("python", "t.py", "--deepspeed", "ds.json"), Map.of(), tmp),
                new FixContext(s, null, tmp, 1));
        assertTrue(assertInstanceOf(FixPlan.Cannot.class, p).reason().contains("no batch size found"));
    }
}
