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
}
