package dev.medic.supervise;

import dev.medic.ExitCodes;
import dev.medic.Fixtures;
import dev.medic.facts.Attempt;
import dev.medic.facts.Failure;
import dev.medic.facts.FixDecision;
import dev.medic.facts.FixOption;
import dev.medic.facts.LogEvent;
import dev.medic.facts.RunSpec;
import dev.medic.fix.FixPlan;
import dev.medic.journal.RunStatus;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The decision after an attempt as a plain function: no process, no clock, no journal. */
class OutcomePolicyTest {
    private static final RunSpec SPEC = new RunSpec(List.of("python3", "train.py", "--batch-size", "64"), Map.of(), Path.of("/tmp"));
    private static final FixPlan.Change HALVED = new FixPlan.Change(
            new RunSpec(List.of("python3", "train.py", "--batch-size", "32"), Map.of(), Path.of("/tmp")), List.of("--batch-size 64 -> 32"));
    private static final OutcomePolicy.Budgets PLENTY = new OutcomePolicy.Budgets(1, 5, null, Duration.ZERO);

    private static Attempt ended(int n, int exitCode) {
        Attempt a = new Attempt(n, SPEC, 0);
        a.finish(exitCode, null, false, 1000, 0);
        return a;
    }

    private static Failure oom(int n) {
        Failure f = Failure.fromLine(Fixtures.defaultCatalog().entry("cuda_oom"), new LogEvent(n, "stderr", 3, "CUDA out of memory", 0, List.of()));
        f.setRoot(true);
        return f;
    }

    private static Verdict verdict(Failure root, FixDecision decision) {
        return new Verdict(root == null ? List.of() : List.of(root), root, decision, List.of(), Map.of());
    }

    private static FixDecision halve() {
        return FixDecision.take(new FixOption("cuda_oom", 1, "reduce_batch_size", Map.of(), 6), "rung 1 of the cuda_oom ladder");
    }

    @Test
    void aCleanExitWithNoFailureSucceeds() {
        var f = assertInstanceOf(OutcomePolicy.Finish.class, OutcomePolicy.after(ended(2, 0), verdict(null, null), null, true, PLENTY, false));
        assertEquals(RunStatus.SUCCEEDED, f.status());
        assertEquals(ExitCodes.SUCCESS, f.exitCode());
        assertEquals("attempt 2: succeeded", f.summary());
        var dry = assertInstanceOf(OutcomePolicy.Finish.class, OutcomePolicy.after(ended(1, 0), verdict(null, null), null, true, PLENTY, true));
        assertEquals(RunStatus.DRY_RUN, dry.status());
    }

    @Test
    void aChosenFixIsRetriedWithItsChange() {
        var r = assertInstanceOf(OutcomePolicy.Retry.class, OutcomePolicy.after(ended(1, 1), verdict(oom(1), halve()), HALVED, true, PLENTY, false));
        assertSame(HALVED, r.change());
        assertTrue(r.spendsAttempt());
        assertEquals("attempt 1: cuda_oom -> reduce_batch_size (--batch-size 64 -> 32)", r.summary());
    }

    @Test
    void noDecisionOrAnEscalationEscalates() {
        var none = assertInstanceOf(OutcomePolicy.Escalate.class, OutcomePolicy.after(ended(1, 137), verdict(null, null), null, true, PLENTY, false));
        assertEquals("no rule chose a fix for exit code 137", none.reason());
        assertEquals("attempt 1: exit code 137 -> escalate", none.summary());
        FixDecision esc = FixDecision.escalate("cuda_oom", "no fix left on the ladder of cuda_oom");
        var e = assertInstanceOf(OutcomePolicy.Escalate.class, OutcomePolicy.after(ended(3, 1), verdict(oom(3), esc), null, true, PLENTY, false));
        assertEquals("no fix left on the ladder of cuda_oom", e.reason());
        assertEquals("attempt 3: cuda_oom -> escalate", e.summary());
        var dry = assertInstanceOf(OutcomePolicy.Finish.class, OutcomePolicy.after(ended(3, 1), verdict(oom(3), esc), null, true, PLENTY, true));
        assertEquals(RunStatus.DRY_RUN, dry.status());
        assertEquals(ExitCodes.RUN_FAILED, dry.exitCode());
    }

    @Test
    void aDryRunStopsWithThePlan() {
        var p = assertInstanceOf(OutcomePolicy.Planned.class, OutcomePolicy.after(ended(1, 1), verdict(oom(1), halve()), HALVED, true, PLENTY, true));
        assertSame(HALVED, p.change());
    }

    @Test
    void aSpentAttemptBudgetEscalatesUnlessTheFixIsFree() {
        var spent = new OutcomePolicy.Budgets(5, 5, null, Duration.ZERO);
        var e = assertInstanceOf(OutcomePolicy.Escalate.class, OutcomePolicy.after(ended(5, 1), verdict(oom(5), halve()), HALVED, true, spent, false));
        assertEquals("the attempt budget is spent (--max-attempts 5)", e.reason());
        assertEquals("attempt 5: cuda_oom -> escalate (attempts spent)", e.summary());
        assertInstanceOf(OutcomePolicy.Retry.class, OutcomePolicy.after(ended(5, 1), verdict(oom(5), halve()), HALVED, false, spent, false),
                "a fix that does not spend the budget (a pip install) still runs");
    }

    @Test
    void aSpentTotalTimeoutEscalates() {
        var none = new OutcomePolicy.Budgets(1, 5, Duration.ZERO, Duration.ofHours(2));
        var e = assertInstanceOf(OutcomePolicy.Escalate.class, OutcomePolicy.after(ended(1, 1), verdict(oom(1), halve()), HALVED, true, none, false));
        assertEquals("the total timeout (2h) is spent", e.reason());
        assertEquals("attempt 1: cuda_oom -> escalate (time spent)", e.summary());
        var some = new OutcomePolicy.Budgets(1, 5, Duration.ofMinutes(1), Duration.ofHours(2));
        assertInstanceOf(OutcomePolicy.Retry.class, OutcomePolicy.after(ended(1, 1), verdict(oom(1), halve()), HALVED, true, some, false));
    }
}
