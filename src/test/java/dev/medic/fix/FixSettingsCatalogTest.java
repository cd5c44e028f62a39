package dev.medic.fix;

import dev.medic.Fixtures;
import dev.medic.catalog.Catalog;
import dev.medic.catalog.Settings;
import dev.medic.facts.CatalogEntry;
import dev.medic.facts.LadderStep;
import dev.medic.facts.RunSpec;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real catalog's settings for the new executors parse, and every ladder rung has an executor. */
class FixSettingsCatalogTest {
    private static final List<String> IDS = List.of("gradient_clipping", "scale_learning_rate", "reduce_workers",
            "cpu_fallback", "set_env", "exclude_gpu");
    // expandable_segments needs an OOM message to decide: ExpandableSegmentsTest

    @org.junit.jupiter.api.io.TempDir
    Path tmp;

    @Test
    void aCatalogSettingReachesTheExecutorsPlan() throws Exception {
        Path dir = Fixtures.copyDir(Fixtures.catalogDir(), tmp, "catalog");
        Path fixes = dir.resolve("fixes.yaml");
        java.nio.file.Files.writeString(fixes, java.nio.file.Files.readString(fixes).replace("    factor: 0.5\n    min: 1\n",
                "    factor: 0.25\n    min: 1\n"));
        Catalog catalog = new dev.medic.catalog.CatalogLoader().load(
                dev.medic.util.SourceLocation.find("catalog", ".yaml", dir, Map.of(), null).read());
        RunSpec spec = new RunSpec(List.of("python", "train.py", "--batch-size", "64"), Map.of(), Path.of("/tmp"));
        FixPlan p = new ReduceBatchSize().plan(spec, new FixContext(catalog.fixSettings("reduce_batch_size"), null, null, 1));
        assertEquals(List.of("python", "train.py", "--batch-size", "16"),
                assertInstanceOf(FixPlan.Change.class, p).next().getArgv());
    }

    @Test
    void everyNewFixHasSettingsThatItsExecutorAccepts() {
        Catalog catalog = Fixtures.defaultCatalog();
        FixRegistry registry = FixRegistry.standard();
        RunSpec spec = new RunSpec(List.of("python", "train.py", "--lr", "0.1"), Map.of(), Path.of("/tmp"));
        for (String id : IDS) {
            Settings s = catalog.fixSettings(id);
            assertTrue(s.toString().contains(": fixes." + id + " "), () -> id + " has no settings block: " + s);
            assertFalse(s.asMap().isEmpty(), id);
            FixExecutor ex = registry.get(id);
            assertNotNull(ex, id);
            assertEquals(id, ex.id());
            // planning reads every setting; a bad one would throw a CatalogException
            assertNotNull(ex.plan(spec, new FixContext(s, null, null, 1)), id);
        }
    }

    @Test
    void typedSettingsHaveTheirDocumentedValues() {
        Catalog catalog = Fixtures.defaultCatalog();
        Settings clip = catalog.fixSettings("gradient_clipping");
        assertEquals(0.5, clip.number("factor", 0));
        assertTrue(clip.bool("add_when_missing", false));
        assertEquals("1.0", clip.text("default_value", null));
        assertEquals("--max_grad_norm", clip.string("default_flag", null));
        assertEquals("--trainer.gradient_clip_val", clip.string("lightning_flag", null));
        assertEquals("++trainer.gradient_clip_val", clip.string("hydra_override", null));
        assertEquals(1e-8, catalog.fixSettings("scale_learning_rate").number("min", 0));
        assertEquals(Map.of("ACCELERATE_USE_CPU", "true"), catalog.fixSettings("cpu_fallback").map("env"));
        assertEquals(List.of("--gpu_ids"),
                catalog.fixSettings("exclude_gpu").listMap("ignores_visible_devices").get("accelerate"));
    }

    @Test
    void everyLadderRungOfTheNewFixesHasAnExecutor() {
        Catalog catalog = Fixtures.defaultCatalog();
        FixRegistry registry = FixRegistry.standard();
        for (CatalogEntry e : catalog.entries()) {
            for (LadderStep step : e.getLadder()) {
                if (IDS.contains(step.getFixId())) {
                    assertTrue(registry.knows(step.getFixId()), e.getId() + " -> " + step.getFixId());
                }
            }
        }
        for (String id : IDS) {
            assertTrue(registry.ids().contains(id), id);
        }
    }
}
