package dev.medic.catalog;

import dev.medic.ExitCodes;
import dev.medic.progress.Progress;
import dev.medic.util.SourceFile;
import dev.medic.util.SourceSet;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The catalog's {@code progress:} section: how it loads, and errors that name the file and the property. */
class CatalogProgressTest {
    private static final String FAILURES = "failures:\n  - id: cuda_oom\n    signatures:\n      - pattern: 'CUDA out of memory'\n";

    /** A catalog of failures.yaml and the given files, each {@code name, content}. */
    private static Catalog load(String... files) {
        List<SourceFile> all = new ArrayList<>(List.of(new SourceFile("catalog/failures.yaml", "failures.yaml", FAILURES)));
        for (int i = 0; i < files.length; i += 2) {
            all.add(new SourceFile("catalog/" + files[i], files[i], files[i + 1]));
        }
        return new CatalogLoader().load(new SourceSet("catalog/", "test", all));
    }

    private static String error(String progressYaml) {
        CatalogException e = assertThrows(CatalogException.class, () -> load("progress.yaml", progressYaml));
        assertEquals(ExitCodes.BAD_INPUT, e.exitCode());
        return e.getMessage();
    }

    private static String pattern(String body) {
        return "progress:\n  patterns:\n    - name: mine\n" + body;
    }

    @Test
    void aSectionLoadsIntoTheCatalogsParser() {
        Catalog c = load("progress.yaml", pattern("      regex: 'step (?<step>{int}) loss (?<loss>{num}) (?<throughput>{num})ms'\n      unit: ms/it\n")
                + "  ignore:\n    - '^eval'\n");
        Progress p = c.progress().parse("step 7 loss nan 120ms");
        assertEquals(7L, p.step());
        assertTrue(Double.isNaN(p.loss()));
        assertEquals("ms/it", p.throughputUnit());
        assertNull(c.progress().parse("eval step 7 loss 0.5 120ms"));
        assertEquals("catalog/progress.yaml: progress.patterns[0] (mine)", c.progress().patterns().get(0).name());
        assertEquals(List.of(" loss "), c.progress().patterns().get(0).anchors(), "derived from the regex: its longest literal");
    }

    @Test
    void aCatalogWithoutTheSectionFindsNoProgress() {
        Catalog c = load();
        assertEquals(0, c.progress().patterns().size());
        assertNull(c.progress().parse("step 1 loss 0.5"));
    }

    @Test
    void patternsOfSeveralFilesAreTriedInFileNameOrder() {
        Catalog c = load("00-site.yaml", "progress:\n  patterns:\n    - regex: 'step (?<step>{int})'\n",
                "progress.yaml", "progress:\n  patterns:\n    - regex: 'step (?<step>{int}) loss (?<loss>{num})'\n");
        assertEquals(2, c.progress().patterns().size());
        assertNull(c.progress().parse("step 3 loss 0.5").loss(), "the site's pattern comes first and wins");
    }

    @Test
    void errorsNameTheFileAndTheProperty() {
        String msg = error(pattern("      regex: 'step (?<step>\\d+'\n"));
        assertTrue(msg.startsWith("catalog/progress.yaml: progress.patterns[0].regex: not a valid regular expression: Unclosed group"), msg);
        assertEquals("catalog/progress.yaml: progress.patterns[0].regex: unknown group (?<steps>): a progress pattern captures only "
                + "step, total_steps, epoch, total_epochs, loss, lr, throughput, unit", error(pattern("      regex: '(?<steps>\\d+)'\n")));
        assertTrue(error(pattern("      regex: 'step \\d+'\n")).startsWith("catalog/progress.yaml: progress.patterns[0].regex: captures nothing"));
        assertEquals("catalog/progress.yaml: progress.patterns[0].regex: is required", error(pattern("      unit: it/s\n")));
        assertTrue(error(pattern("      regx: 'step (?<step>{int})'\n")).startsWith(
                "catalog/progress.yaml:4: progress.patterns[0].regx: unknown property (did you mean regex? expected one of anchors, name, regex, unit, unless)"));
        assertTrue(error("progress:\n  pattern: []\n").startsWith(
                "catalog/progress.yaml:2: progress.pattern: unknown property (did you mean patterns? expected one of ignore, patterns)"));
        assertEquals("catalog/progress.yaml: progress.patterns: must be a list, not a mapping", error("progress:\n  patterns:\n    a: 1\n"));
        assertEquals("catalog/progress.yaml: progress: must be a mapping (key: value), not a list", error("progress: []\n"));
    }

    @Test
    void theUnitMustAgreeWithTheRegex() {
        assertEquals("catalog/progress.yaml: progress.patterns[0].unit: is required when the regex captures (?<throughput>...) and no (?<unit>...)",
                error(pattern("      regex: '(?<throughput>{num}) per second'\n")));
        assertEquals("catalog/progress.yaml: progress.patterns[0].unit: the regex captures (?<unit>...) already: give one or the other",
                error(pattern("      regex: '(?<throughput>{num}) (?<unit>\\S+)'\n      unit: it/s\n")));
        assertEquals("catalog/progress.yaml: progress.patterns[0].unit: must not be empty",
                error(pattern("      regex: '(?<throughput>{num})'\n      unit: ' '\n")));
    }

    @Test
    void namesAnchorsUnlessAndIgnoreAreChecked() {
        assertEquals("catalog/progress.yaml: progress.patterns[0].name: progress pattern names are lower_snake_case",
                error("progress:\n  patterns:\n    - name: My Pattern\n      regex: 'step (?<step>{int})'\n"));
        assertEquals("catalog/progress.yaml: progress.patterns[0].anchors[0]: must not be empty",
                error(pattern("      regex: 'step (?<step>{int})'\n      anchors: ['']\n")));
        assertTrue(error(pattern("      regex: 'step (?<step>{int})'\n      unless: '(warn'\n")).startsWith(
                "catalog/progress.yaml: progress.patterns[0].unless: not a valid regular expression"));
        assertTrue(error("progress:\n  ignore:\n    - '^ok'\n    - '[unclosed'\n").startsWith(
                "catalog/progress.yaml: progress.ignore[1]: not a valid regular expression"));
        CatalogException dup = assertThrows(CatalogException.class, () -> load(
                "a.yaml", "progress:\n  patterns:\n    - name: mine\n      regex: 'step (?<step>{int})'\n",
                "b.yaml", "progress:\n  patterns:\n    - name: mine\n      regex: 'iter (?<step>{int})'\n"));
        assertEquals("catalog/b.yaml: progress.patterns[0].name: duplicate progress pattern name 'mine' (also in catalog/a.yaml)", dup.getMessage());
    }

    @Test
    void theShippedSectionLoads() {
        Catalog c = dev.medic.Fixtures.defaultCatalog();
        assertTrue(c.progress().patterns().size() >= 15, "patterns: " + c.progress().patterns().size());
        assertTrue(c.progress().patterns().stream().allMatch(p -> p.backtrackingProbe() == null), "no shipped pattern backtracks catastrophically");
        assertTrue(c.progress().ignore().stream().allMatch(f -> f.backtrackingProbe() == null));
    }
}
