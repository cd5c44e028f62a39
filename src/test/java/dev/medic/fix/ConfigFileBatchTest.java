package dev.medic.fix;

import dev.medic.Fixtures;
import dev.medic.catalog.Settings;
import dev.medic.facts.RunSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Batch sizes in config files: a copy in the run folder with only the numbers' characters changed
 * and the original's mode, the user's file untouched; a number an anchor shares is refused.
 */
class ConfigFileBatchTest {
    @TempDir
    Path tmp;

    private FixPlan planFor(List<String> argv) {
        Settings s = Fixtures.defaultCatalog().fixSettings("reduce_batch_size");
        return new ReduceBatchSize().plan(new RunSpec(argv, Map.of(), tmp), new FixContext(s, null, tmp.resolve("run"), 2));
    }

    private FixPlan.Change plan(List<String> argv) {
        FixPlan p = planFor(argv);
        return assertInstanceOf(FixPlan.Change.class, p, () -> "expected a change, got " + p);
    }

    private String refusal(String yaml) throws Exception {
        Files.writeString(tmp.resolve("cfg.yaml"), yaml);
        FixPlan p = planFor(List.of("python", "train.py", "--config", "cfg.yaml"));
        return assertInstanceOf(FixPlan.Cannot.class, p, () -> "expected a refusal, got " + p).reason();
    }

    private static String written(FixPlan.Change c) {
        return new String(assertInstanceOf(FixAction.WriteFile.class, c.actions().get(0)).content(), StandardCharsets.UTF_8);
    }

    @Test
    void aDeepSpeedConfigGetsAHalvedMicroBatchAndDoubledAccumulation() throws Exception {
        String original = """
                {
                  "train_batch_size": 256,
                  "train_micro_batch_size_per_gpu":16,
                  "gradient_accumulation_steps" : 2,
                  "fp16": {"enabled": true, "initial_scale_power": 1e5},
                  "zero_optimization": {"stage": 2}
                }
                """;
        Files.writeString(tmp.resolve("ds.json"), original);
        FixPlan.Change c = plan(List.of("deepspeed", "--num_gpus", "8", "train.py", "--deepspeed", "ds.json", "--lr", "1e-4"));
        Path copy = tmp.resolve("run/fix-2/ds.json");
        assertEquals(List.of("deepspeed", "--num_gpus", "8", "train.py", "--deepspeed", copy.toString(), "--lr", "1e-4"), c.next().getArgv());
        FixAction.WriteFile w = assertInstanceOf(FixAction.WriteFile.class, c.actions().get(0));
        assertEquals(copy, w.path());
        assertEquals(original.replace("per_gpu\":16", "per_gpu\":8").replace("steps\" : 2", "steps\" : 4"), written(c),
                "only the two numbers change; the global batch, 1e5 and the layout stay");
        assertEquals(original, Files.readString(tmp.resolve("ds.json")), "the user's file is never edited");
    }

    @Test
    void aYamlConfigKeepsCommentsAnchorsAliasesAndNumberFormats() throws Exception {
        String original = """
                # training config (comments stay)
                defaults: &base
                  lr: 1e5            # a YAML 1.1 string, not a float
                  warmup: 0x10
                model:
                  <<: *base
                  name: resnet50
                schedules: [*base]
                data:
                  batch_size: 100_000   # per device
                  num_workers: 8
                trainer:
                  max_epochs: 10
                """;
        Files.writeString(tmp.resolve("cfg.yaml"), original);
        FixPlan.Change c = plan(List.of("python", "train.py", "--config=cfg.yaml"));
        assertEquals("--config=" + tmp.resolve("run/fix-2/cfg.yaml"), c.next().getArgv().get(2));
        assertEquals(original.replace("batch_size: 100_000", "batch_size: 50_000"), written(c));
        assertTrue(c.changes().get(0).contains("cfg.yaml: data.batch_size: 100_000 -> 50_000"), c.changes().toString());
    }

    @Test
    void aNumberKeepsItsNotationAndAccumulationItsKey() throws Exception {
        String original = "micro_batch_size: 0x40\ngradient_accumulation_steps: +3 # keep\nother: !!int 7\n";
        Files.writeString(tmp.resolve("ds.yml"), original);
        FixPlan.Change c = plan(List.of("python", "train.py", "-c", "ds.yml"));
        assertEquals("micro_batch_size: 0x20\ngradient_accumulation_steps: +6 # keep\nother: !!int 7\n", written(c));
    }

    @Test
    void aBatchSizeInAMergedAnchorIsRefusedWithTheReason() throws Exception {
        String reason = refusal("base: &base\n  batch_size: 64\n  lr: 0.1\ntrain:\n  <<: *base\n  epochs: 3\n");
        assertEquals("cfg.yaml: base.batch_size is shared through the anchor &base with train.batch_size;"
                + " changing it in place would change every user of the anchor", reason);
    }

    @Test
    void anAliasedBatchSizeIsRefused() throws Exception {
        assertEquals("cfg.yaml: train.batch_size is shared through the anchor &bs with eval.batch_size;"
                        + " changing it in place would change every user of the anchor",
                refusal("train:\n  batch_size: &bs 64\neval:\n  batch_size: *bs\n"));
        assertTrue(refusal("sizes: [&bs 64]\ndata:\n  batch_size: *bs\n").startsWith("cfg.yaml: data.batch_size is shared through the anchor &bs with sizes[0];"));
    }

    @Test
    void aMergedBatchSizeTheMappingOverridesIsChangedInPlace() throws Exception {
        String original = "base: &base\n  batch_size: 64\ntrain:\n  <<: *base\n  batch_size: 32\n";
        Files.writeString(tmp.resolve("cfg.yaml"), original);
        FixPlan.Change c = plan(List.of("python", "train.py", "--config", "cfg.yaml"));
        assertEquals("base: &base\n  batch_size: 32\ntrain:\n  <<: *base\n  batch_size: 16\n", written(c),
                "each number is read at one path only: the anchor is kept, each value halved");
    }

    @Test
    void aTaggedQuotedNumberIsRefusedAndAQuotedStringLeftAlone() throws Exception {
        assertEquals("cfg.yaml: batch_size is not written as a plain number; medic changes only a plain number in place",
                refusal("batch_size: !!int \"64\"\n"));
        assertTrue(refusal("batch_size: \"64\"\n").contains("no batch size found"), "a string is the program's, like \"auto\"");
    }

    @Test
    void theCopyKeepsTheOriginalsMode() throws Exception {
        Path cfg = Files.writeString(tmp.resolve("cfg.yaml"), "api_key: sk-live-123\nbatch_size: 8\n");
        Files.setPosixFilePermissions(cfg, PosixFilePermissions.fromString("rw-------"));
        FixAction.WriteFile w = assertInstanceOf(FixAction.WriteFile.class,
                plan(List.of("python", "train.py", "--config", "cfg.yaml")).actions().get(0));
        assertEquals(PosixFilePermissions.fromString("rw-------"), w.mode());
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
