package dev.medic.triage;

import dev.medic.Fixtures;
import dev.medic.catalog.Catalog;
import dev.medic.catalog.CatalogLoader;
import dev.medic.facts.CatalogEntry;
import dev.medic.util.SourceFile;
import dev.medic.util.SourceLocation;
import dev.medic.util.SourceSet;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CatalogDraftTest {
    /** The shipped catalog with {@code draft} as one more file, as a person would save it in catalog/. */
    static Catalog withShippedCatalog(CatalogDraft draft) {
        SourceSet shipped = SourceLocation.find("catalog", ".yaml", Fixtures.catalogDir(), Map.of(), null).read();
        List<SourceFile> files = new ArrayList<>(shipped.files());
        files.add(new SourceFile("catalog/" + draft.id() + ".yaml", draft.id() + ".yaml", draft.yaml()));
        return new CatalogLoader().load(new SourceSet(shipped.origin(), shipped.how(), files));
    }

    @Test
    void theIssuesExampleGetsAnIdFromItsTypeAndWordsAndAPatternThatFindsIt() {
        String line = "RuntimeError: Expected tensor of shape [32, 128] but got [64, 128] in /home/u/train.py";
        CatalogDraft d = CatalogDraft.forLine(MaskedLine.of(line), List.of(line), Set.of(), List.of());
        assertEquals("runtime_error_expected_tensor_of_shape", d.id());
        assertEquals("RuntimeError: Expected tensor of shape \\[\\d+, \\d+\\] but got \\[\\d+, \\d+\\] in \\S+", d.pattern());
        CatalogEntry e = withShippedCatalog(d).entry(d.id());
        assertFalse(e.isRetryable());
        assertEquals("escalate", e.getLadder().get(0).getFixId());
        assertTrue(e.getSignatures().get(0).isWhenFailed(), "a drafted line counts only in a failed attempt");
        assertTrue(e.getSignatures().get(0).matchesText(line));
        assertTrue(e.getSignatures().get(0).matchesText("RuntimeError: Expected tensor of shape [1, 2] but got [3, 4] in C:\\x.py"));
    }

    @Test
    void thePatternStartsAtTheExceptionTypeSoThatALauncherPrefixDoesNotMatter() {
        String line = "[rank3]: torch.AcceleratorError: CUDA error: misaligned address";
        CatalogDraft d = CatalogDraft.forLine(MaskedLine.of(line), List.of(line), Set.of(), List.of());
        assertEquals("AcceleratorError: CUDA error: misaligned address", d.pattern());
        assertEquals("accelerator_error_cuda_error_misaligned_address", d.id());
        assertNull(d.check(List.of(line, "AcceleratorError: CUDA error: misaligned address")));
    }

    @Test
    void whenThePlainPatternMissesALineOfTheGroupTheGeneralOneIsUsed() {
        String a = "ValueError: bad  value 3";
        String b = "ValueError: bad value -2.5";
        assertEquals(MaskedLine.of(a).text(), MaskedLine.of(b).text());
        CatalogDraft d = CatalogDraft.forLine(MaskedLine.of(a), List.of(a, b), Set.of(), List.of());
        assertNull(d.check(List.of(a, b)), d.pattern());
        assertTrue(d.pattern().contains("\\s+"), d.pattern());
    }

    @Test
    void idsAreLowerSnakeCaseAndNeverClash() {
        assertEquals("json_decode_error", CatalogDraft.snake("JSONDecodeError"));
        assertEquals("os_error", CatalogDraft.snake("OSError"));
        assertEquals("cuda_error", CatalogDraft.snake("CUDAError"));
        assertEquals("segmentation_fault_core_dumped", CatalogDraft.baseId(null, "Segmentation fault (core dumped)"));
        assertEquals("failure_404_not_found", CatalogDraft.baseId(null, "404 not found"));
        assertEquals("unrecognised_failure", CatalogDraft.baseId(null, "<n> <path> !!"));
        assertEquals("key_error_2", CatalogDraft.unique("key_error", Set.of("key_error")));
        assertEquals("key_error_3", CatalogDraft.unique("key_error", Set.of("key_error", "key_error_2")));
        String longId = CatalogDraft.baseId("VeryLongExceptionNameThatGoesOnAndOnAndOnAndOnAndOnWithoutEndError", "with many words");
        assertTrue(longId.length() <= 48 && longId.matches("[a-z][a-z0-9_]*"), longId);
    }

    @Test
    void aQuotedValueIsMaskedAndTheYamlKeepsItsQuotes() {
        String line = "AttributeError: 'DistributedDataParallel' object has no attribute 'generate'";
        CatalogDraft d = CatalogDraft.forLine(MaskedLine.of(line), List.of(line), Set.of(), List.of());
        assertEquals("AttributeError: '[^']*' object has no attribute '[^']*'", d.pattern());
        assertTrue(d.yaml().contains("pattern: 'AttributeError: ''[^'']*'' object"), d.yaml());
        assertNull(d.check(List.of(line, "AttributeError: 'Trainer' object has no attribute 'fit'")));
    }

    @Test
    void attemptsWithoutOutputAreDraftedOnHowTheyEnded() {
        CatalogDraft byCode = CatalogDraft.forExit(new Occurrence.Exit(3, null), Set.of());
        assertEquals("silent_exit_3", byCode.id());
        assertTrue(byCode.yaml().contains("- exit_codes: [3]"), byCode.yaml());
        assertEquals(Set.of(3), withShippedCatalog(byCode).entry("silent_exit_3").getSignatures().get(0).getExitCodes());
        CatalogDraft bySignal = CatalogDraft.forExit(new Occurrence.Exit(null, "KILL"), Set.of());
        assertEquals("KILL", withShippedCatalog(bySignal).entry(bySignal.id()).getSignatures().get(0).getSignal());
        assertNull(CatalogDraft.forExit(new Occurrence.Exit(null, null), Set.of()));
    }

    @Test
    void aDraftThatDoesNotFindALineSaysSo() {
        String line = "KeyError: 'label'";
        CatalogDraft d = CatalogDraft.forLine(MaskedLine.of(line), List.of(line), Set.of(), List.of());
        assertEquals("its pattern does not find: ValueError: x", d.check(List.of(line, "ValueError: x")));
    }
}
