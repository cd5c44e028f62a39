package dev.medic.catalog;

import dev.medic.ExitCodes;
import dev.medic.util.SourceFile;
import dev.medic.util.SourceSet;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A YAML alias in the catalog is refused where it stands, never read as its anchor's name. */
class YamlAliasTest {
    private static String error(String yaml) {
        CatalogException e = assertThrows(CatalogException.class, () -> new CatalogLoader().load(new SourceSet("catalog/", "test",
                List.of(new SourceFile("catalog/failures.yaml", "failures.yaml", yaml)))));
        assertEquals(ExitCodes.BAD_INPUT, e.exitCode());
        return e.getMessage();
    }

    @Test
    void anAliasedValueNamesFileLineAndAlias() {
        String msg = error("""
                failures:
                  - id: cuda_oom
                    signatures:
                      - pattern: &oom 'CUDA out of memory'
                      - pattern: *oom
                    ladder:
                      - fix: reduce_batch_size
                """);
        assertTrue(msg.startsWith("catalog/failures.yaml:5:"), msg);
        assertTrue(msg.contains("*oom"), msg);
    }

    @Test
    void aMergeKeyIsAnAliasToo() {
        String msg = error("""
                failures:
                  - id: cuda_oom
                    signatures:
                      - &sig
                        pattern: 'CUDA out of memory'
                      - <<: *sig
                        stream: stderr
                    ladder:
                      - fix: reduce_batch_size
                """);
        assertTrue(msg.startsWith("catalog/failures.yaml:6:"), msg);
        assertTrue(msg.contains("*sig"), msg);
    }

    @Test
    void anAnchorAloneIsFine() {
        Catalog c = new CatalogLoader().load(new SourceSet("catalog/", "test", List.of(new SourceFile("catalog/failures.yaml",
                "failures.yaml", "failures:\n  - id: &id cuda_oom\n    signatures:\n      - pattern: 'CUDA out of memory'\n"
                        + "    ladder:\n      - fix: reduce_batch_size\n"))));
        assertTrue(c.entry("cuda_oom") != null);
    }
}
