package dev.medic.supervise;

import dev.medic.facts.Failure;
import dev.medic.facts.FixDecision;
import dev.medic.facts.FixOption;
import dev.medic.fix.FixPlan;

import java.util.List;
import java.util.Map;

/**
 * What the rules made of a finished attempt: every failure found (root first), the decision, and
 * for each ladder rung considered whether it was skipped and the plan for it.
 */
public record Verdict(List<Failure> failures, Failure root, FixDecision decision, List<FixOption> options,
                      Map<Integer, FixPlan> plans) {
    public Verdict {
        failures = List.copyOf(failures);
        options = List.copyOf(options);
        plans = Map.copyOf(plans);
    }

    /** The plan of the chosen rung, or null (escalation, or no decision). */
    public FixPlan chosenPlan() {
        return decision == null || decision.isEscalate() ? null : plans.get(decision.getStep());
    }

    /**
     * What the next attempt would change: the chosen plan's change lines, the very lines a live run
     * journals as {@code fix_applied.changes}. Empty for an escalation or no decision.
     */
    public List<String> changes() {
        return chosenPlan() instanceof FixPlan.Change c ? c.changes() : List.of();
    }

    /** The ladder's fixes that were not planned because no command was given (replay without one). */
    public List<String> needCommand() {
        return options.stream()
                .filter(o -> !FixDecision.ESCALATE.equals(o.getFixId()))
                .filter(o -> plans.get(o.getStep()) instanceof FixPlan.Change c && c.next() == null)
                .map(FixOption::getFixId)
                .distinct()
                .toList();
    }
}
