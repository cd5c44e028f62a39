package dev.medic.rules;

import dev.medic.Fixtures;
import dev.medic.catalog.Catalog;
import dev.medic.facts.Failure;
import dev.medic.facts.FixApplied;
import dev.medic.facts.FixDecision;
import dev.medic.facts.FixOption;
import dev.medic.facts.LogEvent;
import dev.medic.facts.PastFailure;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** rules/choose.drl alone: the walk down a root failure's ladder, as AttemptJudge hands it the rungs. */
class ChooseRulesTest {
    private static final String OOM = "torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 64.00 GiB";
    private static RuleSet rules;
    private static Catalog catalog;

    @BeforeAll
    static void compile() {
        rules = RuleFile.compile("choose.drl");
        catalog = Fixtures.defaultCatalog();
    }

    @AfterAll
    static void dispose() {
        rules.dispose();
    }

    /** What the rules decided, and the options as they left them. */
    private record Choice(FixDecision decision, List<FixOption> options) {
        String skipReason(int step) {
            return options.stream().filter(o -> o.getStep() == step).findFirst().orElseThrow().getSkipReason();
        }
    }

    private static Failure root(String id, int attempt, String line) {
        Failure f = Failure.fromLine(catalog.entry(id), new LogEvent(attempt, "stderr", 7, line, 0, List.of()));
        f.setRoot(true);
        return f;
    }

    private static Choice choose(Failure root, List<FixOption> options, List<?> history) {
        try (RuleSession s = rules.newSession(10_000)) {
            List<Object> facts = new ArrayList<>(history);
            facts.add(root);
            s.insertAll(facts);
            options.forEach(s::insert);
            s.fire(Phase.CHOOSE);
            List<FixDecision> decisions = s.facts(FixDecision.class);
            assertTrue(decisions.size() <= 1, "one decision at most: " + decisions);
            return new Choice(decisions.isEmpty() ? null : decisions.get(0), options);
        }
    }

    /** The cuda_oom ladder as the catalog has it: expandable segments, halve the batch (budget 6), escalate. */
    private static List<FixOption> oomLadder() {
        return List.of(new FixOption("cuda_oom", 0, "expandable_segments", Map.of(), 1),
                new FixOption("cuda_oom", 1, "reduce_batch_size", Map.of(), 6),
                new FixOption("cuda_oom", 2, "escalate", Map.of(), 1));
    }

    @Test
    void theFirstRungLeftIsTaken() {
        Choice c = choose(root("cuda_oom", 1, OOM), oomLadder(), List.of());
        assertEquals("expandable_segments", c.decision().getFixId());
        assertEquals(0, c.decision().getStep());
        assertEquals("rung 0 of the cuda_oom ladder", c.decision().getReason());
    }

    /** The executor found the OOM's numbers say fragmentation is not the cause; the rules go on to the next rung. */
    @Test
    void aRungTheExecutorSkippedIsPassedOver() {
        List<FixOption> ladder = oomLadder();
        ladder.get(0).skip("cannot help: the allocation of 64.00 GiB is larger than the 8.89 GiB free and 7.98 GiB reserved but unallocated together");
        Choice c = choose(root("cuda_oom", 1, OOM), ladder, List.of());
        assertEquals("reduce_batch_size", c.decision().getFixId());
        assertEquals("rung 1 of the cuda_oom ladder", c.decision().getReason());
    }

    @Test
    void aRungWhoseBudgetIsSpentIsSkipped() {
        List<Object> history = new ArrayList<>();
        history.add(new FixApplied(1, "cuda_oom", 0, "expandable_segments", Map.of(), true));
        for (int a = 2; a <= 7; a++) {
            history.add(new FixApplied(a, "cuda_oom", 1, "reduce_batch_size", Map.of(), true));
        }
        Choice c = choose(root("cuda_oom", 8, OOM), oomLadder(), history);
        assertEquals("its budget of 1 is spent", c.skipReason(0));
        assertEquals("its budget of 6 is spent", c.skipReason(1));
        assertEquals("escalate", c.decision().getFixId());
        assertEquals("the ladder of cuda_oom ends in escalation", c.decision().getReason());
    }

    @Test
    void aRungAfterWhichTheSameFailureCameBackUnchangedIsSkipped() {
        Failure now = root("cuda_oom", 3, OOM);
        List<Object> history = List.of(new FixApplied(2, "cuda_oom", 1, "reduce_batch_size", Map.of(), true),
                new PastFailure(2, "cuda_oom", now.getFingerprint()));
        Choice c = choose(now, oomLadder(), history);
        assertEquals("expandable_segments", c.decision().getFixId(), "rung 0 is not the one that came back");
        List<FixOption> ladder = oomLadder();
        ladder.get(0).skip("cannot help");
        Choice next = choose(root("cuda_oom", 3, OOM), ladder, history);
        assertEquals("the same failure came back unchanged after it", next.skipReason(1));
        assertEquals("escalate", next.decision().getFixId());
    }

    @Test
    void aRetryThatChangedNothingAndALearningRateHalvedAgainAreNotSkippedForComingBack() {
        Failure now = root("cuda_oom", 3, OOM);
        List<FixOption> ladder = oomLadder();
        ladder.get(0).skip("cannot help");
        Choice retried = choose(now, ladder, List.of(new FixApplied(2, "cuda_oom", 1, "reduce_batch_size", Map.of(), false),
                new PastFailure(2, "cuda_oom", now.getFingerprint())));
        assertEquals("reduce_batch_size", retried.decision().getFixId(), "a plain retry says nothing against the rung");

        String nan = "step 40: loss nan";
        Failure diverged = root("nan_loss", 3, nan);
        List<FixOption> lr = List.of(new FixOption("nan_loss", 0, "scale_learning_rate", Map.of("factor", 0.5), 3),
                new FixOption("nan_loss", 1, "escalate", Map.of(), 1));
        Choice halved = choose(diverged, lr, List.of(new FixApplied(2, "nan_loss", 0, "scale_learning_rate", Map.of(), true),
                new PastFailure(2, "nan_loss", diverged.getFingerprint())));
        assertEquals("scale_learning_rate", halved.decision().getFixId(), "a rate still too large diverges at the same step");
    }

    @Test
    void aFailureThatIsNotRetryableEscalatesAtOnce() {
        Failure full = root("disk_full", 1, "OSError: [Errno 28] No space left on device");
        Choice c = choose(full, List.of(new FixOption("disk_full", 0, "reduce_batch_size", Map.of(), 6)), List.of());
        assertTrue(c.decision().isEscalate());
        assertEquals("disk_full is not retryable: retrying cannot help", c.decision().getReason());
    }

    @Test
    void aLadderWithNothingLeftEscalates() {
        List<FixOption> ladder = List.of(new FixOption("cuda_oom", 0, "expandable_segments", Map.of(), 1),
                new FixOption("cuda_oom", 1, "reduce_batch_size", Map.of(), 6));
        ladder.forEach(o -> o.skip("cannot apply"));
        Choice c = choose(root("cuda_oom", 1, OOM), ladder, List.of());
        assertTrue(c.decision().isEscalate());
        assertEquals("no fix left on the ladder of cuda_oom", c.decision().getReason());
    }

    @Test
    void withoutARootNothingIsDecided() {
        Failure f = Failure.fromLine(catalog.entry("cuda_oom"), new LogEvent(1, "stderr", 7, OOM, 0, List.of()));
        try (RuleSession s = rules.newSession(10_000)) {
            s.insert(f);
            oomLadder().forEach(s::insert);
            s.fire(Phase.CHOOSE);
            assertNull(s.facts(FixDecision.class).stream().findFirst().orElse(null));
        }
    }
}
