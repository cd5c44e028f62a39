package dev.medic.catalog;

import dev.medic.ExitCodes;
import dev.medic.Fixtures;
import dev.medic.util.SourceFile;
import dev.medic.util.SourceSet;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Fix settings bind to their records when the catalog loads: unknown keys and bad values are load errors. */
class FixSettingsTypesTest {
    private static final String FAILURES = """
            failures:
              - id: cuda_oom
                signatures:
                  - pattern: 'CUDA out of memory'
                ladder:
                  - fix: reduce_batch_size
                    params: {factor: 0.5}
            """;

    private static Catalog load(String failures, String fixes) {
        return new CatalogLoader().load(new SourceSet("catalog/", "test", List.of(
                new SourceFile("catalog/failures.yaml", "failures.yaml", failures),
                new SourceFile("catalog/fixes.yaml", "fixes.yaml", fixes))));
    }

    private static String error(String failures, String fixes) {
        CatalogException e = assertThrows(CatalogException.class, () -> load(failures, fixes));
        assertEquals(ExitCodes.BAD_INPUT, e.exitCode());
        return e.getMessage();
    }

    @Test
    void aMisspeltFixSettingIsAnErrorNamingFileLineAndPropertyAndTheNearestKey() {
        assertEquals("catalog/fixes.yaml:4: fixes.reduce_batch_size.factr: unknown property (did you mean factor? expected one of"
                        + " accumulation_env, accumulation_flags, accumulation_keys, config_accumulation_keys, config_flags, config_keys,"
                        + " env, factor, flags, keys, min)",
                error(FAILURES, "fixes:\n  reduce_batch_size:\n    min: 1\n    factr: 0.25\n"));
        assertTrue(error(FAILURES, "fixes:\n  pip_install:\n    polcy: any\n")
                .startsWith("catalog/fixes.yaml:3: fixes.pip_install.polcy: unknown property (did you mean policy?"));
        assertTrue(error(FAILURES, "fixes:\n  expandable_segments:\n    on: true\n")
                .startsWith("catalog/fixes.yaml:3: fixes.expandable_segments.on: unknown property (none is expected here)"));
    }

    @Test
    void aMisspeltKeyInARungsParamsIsAnErrorToo() {
        assertTrue(error(FAILURES.replace("{factor: 0.5}", "{factr: 0.5}"), "fixes: {}\n")
                .startsWith("catalog/failures.yaml:7: cuda_oom.ladder[0].params.factr: unknown property (did you mean factor?"));
        assertTrue(error(FAILURES + "      - fix: escalate\n        params: {to: me}\n", "fixes: {}\n")
                .startsWith("catalog/failures.yaml:9: cuda_oom.ladder[1].params.to: unknown property (none is expected here)"));
    }

    @Test
    void aBadValueIsAnErrorWhenTheCatalogLoadsNotWhenTheFixIsPlanned() {
        assertEquals("catalog/fixes.yaml: fixes.reduce_batch_size.factor: must be between 0 and 1 (exclusive)",
                error(FAILURES.replace("params: {factor: 0.5}", "budget: 1"), "fixes:\n  reduce_batch_size:\n    factor: 1.5\n"));
        assertEquals("catalog/fixes.yaml: fixes.reduce_batch_size + catalog/failures.yaml: cuda_oom.ladder[0].params.factor:"
                + " must be between 0 and 1 (exclusive)", error(FAILURES.replace("0.5", "2"), "fixes:\n  reduce_batch_size: {}\n"));
        assertTrue(error(FAILURES, "fixes:\n  retry_backoff:\n    initial: soon\n").startsWith("catalog/fixes.yaml: fixes.retry_backoff.initial: "));
    }

    @Test
    void aMisspeltFixIdIsAnErrorButSettingsOfAFixALadderNamesAreKept() {
        assertTrue(error(FAILURES, "fixes:\n  reduce_batch_sise:\n    factor: 0.25\n")
                .startsWith("catalog/fixes.yaml:2: fixes.reduce_batch_sise: no fix of this id (did you mean reduce_batch_size? "));
        Catalog newer = load(FAILURES + "      - fix: my_own_fix\n", "fixes:\n  my_own_fix:\n    anything: 1\n");
        assertEquals(1, newer.fixSettings("my_own_fix").integer("anything", 0), "a newer medic's fix keeps its settings");
    }

    @Test
    void theShippedCatalogBindsWithItsDocumentedValues() {
        Catalog c = Fixtures.defaultCatalog();
        ReduceBatchSizeSettings batch = ReduceBatchSizeSettings.of(c.fixSettings("reduce_batch_size"));
        assertEquals(0.5, batch.factor());
        assertEquals(1, batch.min());
        assertTrue(batch.flags().contains("--per_device_train_batch_size"));
        assertEquals(Duration.ofMinutes(10), PipInstallSettings.of(c.fixSettings("pip_install")).timeout());
        assertEquals(16L << 30, RaiseShmSizeSettings.of(c.fixSettings("raise_shm_size")).max());
        assertEquals(0, ReduceWorkersSettings.of(c.fixSettings("reduce_workers")).min());
        assertEquals(List.of("out"), ResumeFromCheckpointSettings.of(c.fixSettings("resume_from_checkpoint")
                .with("run options", java.util.Map.of("dirs", List.of("out")))).dirs());
    }
}
