package dev.medic.supervise;

import dev.medic.ExitCodes;
import dev.medic.facts.Attempt;
import dev.medic.facts.Failure;
import dev.medic.facts.FixDecision;
import dev.medic.fix.FixPlan;
import dev.medic.journal.RunStatus;
import dev.medic.util.Durations;

import java.time.Duration;

/**
 * What follows a judged attempt: the run ends, escalates, or retries with the chosen fix. A pure
 * function of the rules' verdict, the run's budgets and whether it is a dry run; the supervisor
 * journals what it says and carries it out. Each outcome carries the attempt's line for the
 * escalation's summary.
 */
final class OutcomePolicy {
    private OutcomePolicy() {
    }

    sealed interface Outcome {
        /** {@code attempt N: ...}, the line the attempt adds to the run's summary. */
        String summary();
    }

    /** The run ends with {@code status}: succeeded, or a dry run that stops here. */
    record Finish(RunStatus status, int exitCode, String summary) implements Outcome {
    }

    /** The run escalates to a person for {@code reason}. */
    record Escalate(String reason, String summary) implements Outcome {
    }

    /** A dry run stops with the fix it would apply. */
    record Planned(FixPlan.Change change, String summary) implements Outcome {
    }

    /** The next attempt runs {@code change.next()} after {@code change.actions()}, waiting at least {@code change.delay()}. */
    record Retry(FixPlan.Change change, boolean spendsAttempt, String summary) implements Outcome {
    }

    /**
     * The run's budgets as they stand after attempt {@code attempt}: {@code spentAttempts} counts the
     * attempts that count against {@code --max-attempts}; {@code timeLeft} is null without {@code --timeout}.
     */
    record Budgets(int spentAttempts, int maxAttempts, Duration timeLeft, Duration totalTimeout) {
    }

    /**
     * @param change         the chosen rung's plan (resume laid over it), or null when the decision is none or escalation
     * @param spendsAttempt  whether the chosen fix counts against {@code --max-attempts}
     */
    static Outcome after(Attempt attempt, Verdict verdict, FixPlan.Change change, boolean spendsAttempt, Budgets budgets,
                         boolean dryRun) {
        int n = attempt.getNumber();
        Failure root = verdict.root();
        if (root == null && !attempt.isFailed()) {
            return new Finish(dryRun ? RunStatus.DRY_RUN : RunStatus.SUCCEEDED, ExitCodes.SUCCESS, "attempt " + n + ": succeeded");
        }
        String what = "attempt " + n + ": " + (root != null ? root.getId() : attempt.describeEnd());
        FixDecision d = verdict.decision();
        if (d == null) {
            return new Escalate("no rule chose a fix for " + (root != null ? root.getId() : attempt.describeEnd()), what + " -> escalate");
        }
        if (d.isEscalate()) {
            return dryRun ? new Finish(RunStatus.DRY_RUN, ExitCodes.RUN_FAILED, what + " -> escalate")
                    : new Escalate(d.getReason(), what + " -> escalate");
        }
        String summary = what + " -> " + d.getFixId() + (change.changes().isEmpty() ? "" : " (" + String.join("; ", change.changes()) + ")");
        if (dryRun) {
            return new Planned(change, summary);
        }
        if (spendsAttempt && budgets.spentAttempts() >= budgets.maxAttempts()) {
            return new Escalate("the attempt budget is spent (--max-attempts " + budgets.maxAttempts() + ")",
                    what + " -> escalate (attempts spent)");
        }
        if (budgets.timeLeft() != null && budgets.timeLeft().isZero()) {
            return new Escalate("the total timeout (" + Durations.format(budgets.totalTimeout()) + ") is spent",
                    what + " -> escalate (time spent)");
        }
        return new Retry(change, spendsAttempt, summary);
    }
}
