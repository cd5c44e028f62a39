package dev.medic.fix;

import dev.medic.facts.RunSpec;

import java.util.List;

/** The outcome of planning a fix: the next spec and what changed, or why the fix cannot apply. */
public sealed interface FixPlan {
    record Change(RunSpec next, List<String> changes) implements FixPlan {
        public Change {
            changes = List.copyOf(changes);
        }
    }

    record Cannot(String reason) implements FixPlan {
    }

    static FixPlan change(RunSpec next, List<String> changes) {
        return new Change(next, changes);
    }

    static FixPlan cannot(String reason) {
        return new Cannot(reason);
    }
}
