package dev.medic.rules;

import dev.medic.Fixtures;
import dev.medic.catalog.Catalog;
import dev.medic.facts.Failure;
import dev.medic.facts.LogEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** rules/root.drl alone: which failure of an attempt is its root, and which are consequences. */
class RootRulesTest {
    private static RuleSet rules;
    private static Catalog catalog;

    @BeforeAll
    static void compile() {
        rules = RuleFile.compile("root.drl");
        catalog = Fixtures.defaultCatalog();
    }

    @AfterAll
    static void dispose() {
        rules.dispose();
    }

    private static Failure at(String id, int attempt, long line) {
        return Failure.fromLine(catalog.entry(id), new LogEvent(attempt, "stderr", line, id + " evidence", 0, List.of()));
    }

    private static void judge(Failure... failures) {
        try (RuleSession s = rules.newSession(10_000)) {
            s.insertAll(List.of(failures));
            s.fire(Phase.ROOT);
        }
    }

    @Test
    void theEarliestFailureIsTheRoot() {
        Failure oom = at("cuda_oom", 1, 5);
        Failure nan = at("nan_loss", 1, 9);
        judge(nan, oom);
        assertTrue(oom.isRoot());
        assertFalse(nan.isRoot());
    }

    /** import_error is consequence_of cuda_unavailable in the catalog (TensorFlow's GPU probe). */
    @Test
    void aConsequenceIsNeverTheRootEvenWhenItCameFirst() {
        Failure imported = at("import_error", 1, 5);
        Failure noGpu = at("cuda_unavailable", 1, 20);
        judge(imported, noGpu);
        assertTrue(imported.isConsequence());
        assertFalse(imported.isRoot());
        assertTrue(noGpu.isRoot());
        assertFalse(noGpu.isConsequence());
    }

    @Test
    void eachAttemptHasItsOwnRootAndATieGoesToTheSmallerId() {
        Failure first = at("nan_loss", 1, 5);
        Failure second = at("disk_full", 2, 30);
        Failure tied = at("cuda_oom", 2, 30);
        judge(first, second, tied);
        assertTrue(first.isRoot());
        assertTrue(tied.isRoot(), "cuda_oom < disk_full");
        assertFalse(second.isRoot());
    }

    @Test
    void aFailureOfAnotherAttemptMakesNothingAConsequence() {
        Failure earlier = at("cuda_unavailable", 1, 5);
        Failure imported = at("import_error", 2, 5);
        judge(earlier, imported);
        assertFalse(imported.isConsequence());
        assertTrue(imported.isRoot());
    }
}
