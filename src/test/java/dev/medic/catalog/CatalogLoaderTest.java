package dev.medic.catalog;

import dev.medic.ExitCodes;
import dev.medic.Fixtures;
import dev.medic.facts.CatalogEntry;
import dev.medic.facts.Signature;
import dev.medic.util.SourceFile;
import dev.medic.util.SourceSet;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CatalogLoaderTest {
    private static Catalog load(String yaml) {
        return new CatalogLoader().load(new SourceSet("catalog/", "test",
                List.of(new SourceFile("catalog/failures.yaml", "failures.yaml", yaml))));
    }

    private static String error(String yaml) {
        CatalogException e = assertThrows(CatalogException.class, () -> load(yaml));
        assertEquals(ExitCodes.BAD_INPUT, e.exitCode());
        return e.getMessage();
    }

    private static final String OOM_HEAD = """
            failures:
              - id: cuda_oom
                signatures:
                  - pattern: 'CUDA out of memory'
                ladder:
                  - fix: reduce_batch_size
            """;

    @Test
    void aBadBudgetNamesTheFileAndTheProperty() {
        assertEquals("catalog/failures.yaml: cuda_oom.ladder[1].budget: must be a positive integer",
                error(OOM_HEAD + "      - fix: escalate\n        budget: 0\n"));
        assertEquals("catalog/failures.yaml: cuda_oom.ladder[0].budget: must be a positive integer",
                error(OOM_HEAD.replace("- fix: reduce_batch_size", "- fix: reduce_batch_size\n        budget: two")));
    }

    @Test
    void exceptionEntriesAreReadAndTheirErrorsNameTheProperty() {
        Catalog c = load(OOM_HEAD.replace("    ladder:", "    exceptions:\n"
                + "      - type: [OutOfMemoryError, tf.errors.ResourceExhaustedError]\n"
                + "        message: 'OOM'\n"
                + "        raised_in: [torch/]\n"
                + "    errno: [12]\n"
                + "    ladder:"));
        List<Signature> s = c.entry("cuda_oom").getSignatures();
        assertEquals(3, s.size());
        assertTrue(s.get(1).isStructural() && s.get(2).isStructural());
        assertEquals("cuda_oom.exceptions[0]", s.get(1).describe());
        assertEquals(java.util.Set.of(12), s.get(2).getException().errno());
        assertTrue(s.get(1).getException().namesFrames());
        assertEquals(1, c.literalOnly().entry("cuda_oom").getSignatures().size());

        assertEquals("catalog/failures.yaml: cuda_oom.exceptions[0].type: 'not a type!' is not a Python exception type (a name or dotted.name)",
                error(OOM_HEAD.replace("    ladder:", "    exceptions:\n      - type: 'not a type!'\n    ladder:")));
        assertEquals("catalog/failures.yaml: cuda_oom.errno[0]: must be an integer from 1 to 4095",
                error(OOM_HEAD.replace("    ladder:", "    errno: [0]\n    ladder:")));
        assertEquals("catalog/failures.yaml: cuda_oom.exceptions[0]: an exceptions entry needs a type, an errno or a message",
                error(OOM_HEAD.replace("    ladder:", "    exceptions:\n      - frames: [torch/]\n    ladder:")));
        assertEquals("catalog/failures.yaml: cuda_oom.errno: must not be an empty list (leave it out to set no condition)",
                error(OOM_HEAD.replace("    ladder:", "    errno: []\n    ladder:")));
        assertTrue(error(OOM_HEAD.replace("    ladder:", "    exceptions:\n      - type: UserWarning\n    ladder:"))
                .contains("'UserWarning' is a warning"));
        assertEquals("catalog/failures.yaml: cuda_oom.exceptions[0].frames[0]: must be a string",
                error(OOM_HEAD.replace("    ladder:", "    exceptions:\n      - type: OSError\n        frames: [123]\n    ladder:")));
        assertTrue(error(OOM_HEAD.replace("    ladder:", "    exceptions:\n      - typ: OSError\n    ladder:"))
                .startsWith("catalog/failures.yaml:6: cuda_oom.exceptions[0].typ: unknown property (did you mean type? expected one of"));
    }

    @Test
    void unknownPropertiesAreRefused() {
        String msg = error(OOM_HEAD.replace("    signatures:", "    retryabel: true\n    signatures:"));
        assertEquals("catalog/failures.yaml:3: cuda_oom.retryabel: unknown property (did you mean retryable? expected one of consequence_of,"
                + " description, errno, escalation, exceptions, id, ladder, retryable, signatures, stop_after, when)", msg);
    }

    @Test
    void badRegularExpressionsAreRefusedWithTheirPosition() {
        String msg = error(OOM_HEAD.replace("'CUDA out of memory'", "'CUDA (out of memory'"));
        assertTrue(msg.startsWith("catalog/failures.yaml: cuda_oom.signatures[0].pattern: not a valid regular expression"), msg);
    }

    @Test
    void duplicateIdsAndDanglingReferencesAreRefused() {
        assertTrue(error(OOM_HEAD + OOM_HEAD.replace("failures:\n", "")).contains("failures.yaml: failures[1].id: duplicate failure id 'cuda_oom'"));
        assertEquals("catalog/failures.yaml: cuda_oom.consequence_of[0]: no failure with id 'nccl_error'",
                error(OOM_HEAD.replace("    signatures:", "    consequence_of: [nccl_error]\n    signatures:")));
    }

    @Test
    void aSignatureNeedsSomethingToMatch() {
        assertEquals("catalog/failures.yaml: cuda_oom.signatures[0]: a signature needs a pattern, exit_codes or a signal",
                error(OOM_HEAD.replace("- pattern: 'CUDA out of memory'", "- stream: stderr")));
        assertEquals("catalog/failures.yaml: cuda_oom.signatures[0].stream: must be stdout, stderr or any",
                error(OOM_HEAD.replace("- pattern: 'CUDA out of memory'", "- pattern: x\n        stream: both")));
    }

    @Test
    void yamlSyntaxErrorsGiveLineAndColumn() {
        String msg = error("failures:\n  - id: [unclosed\n");
        assertTrue(msg.matches("catalog/failures\\.yaml:\\d+:\\d+: .+"), msg);
    }

    @Test
    void aliasBombsAreRefusedNotExpanded() {
        StringBuilder y = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        char prev = 'a';
        for (char c = 'b'; c <= 'z'; c++) {
            y.append(c).append(": &").append(c).append(" [");
            for (int i = 0; i < 10; i++) {
                y.append(i > 0 ? ", " : "").append('*').append(prev);
            }
            y.append("]\n");
            prev = c;
        }
        String msg = error(y.toString());
        assertTrue(msg.startsWith("catalog/failures.yaml"), msg);
    }

    @Test
    void theDefaultCatalogLoadsAndItsLaddersEndInEscalation() {
        Catalog c = Fixtures.defaultCatalog();
        for (String id : List.of("cuda_oom", "unknown", "stall", "timeout")) {
            CatalogEntry e = c.entry(id);
            assertNotNull(e, id);
            assertEquals("escalate", e.getLadder().get(e.getLadder().size() - 1).getFixId(), id);
        }
        assertEquals("expandable_segments", c.entry("cuda_oom").getLadder().get(0).getFixId());
        assertEquals("reduce_batch_size", c.entry("cuda_oom").getLadder().get(1).getFixId());
        assertEquals(1, c.entry("unknown").getLadder().get(0).getBudget());
        for (Signature s : c.entry("cuda_oom").getSignatures()) {
            assertFalse(!s.isStructural() && s.getAnchors().isEmpty(), s + " should be screened by a literal");
        }
        assertFalse(c.fixSettings("reduce_batch_size").strings("flags").isEmpty());
    }

    @Test
    void ladderRungsMayBeBareFixIdsAndSignaturesMayBeExitCodes() {
        Catalog c = load("""
                failures:
                  - id: host_oom
                    retryable: false
                    signatures:
                      - exit_codes: [137]
                        signal: SIGKILL
                    ladder: [escalate]
                """);
        CatalogEntry e = c.entry("host_oom");
        assertFalse(e.isRetryable());
        assertEquals("KILL", e.getSignatures().get(0).getSignal());
        assertEquals(1, e.getLadder().size());
    }

    @Test
    void anExitStatusSignatureMayBeLeftToTheRules() {
        Catalog c = load("""
                failures:
                  - id: host_oom
                    signatures:
                      - name: kill
                        exit_codes: [137, -9]
                        signal: KILL
                        by_rule: true
                    ladder: [escalate]
                """);
        Signature s = c.entry("host_oom").getSignatures().get(0);
        assertTrue(s.isByRule());
        assertFalse(s.hasPattern());
        assertEquals("kill", s.getName());
    }
}
