package dev.medic.fix;

import dev.medic.facts.RunSpec;

import java.time.Duration;
import java.util.List;

/**
 * The outcome of planning a fix: the next spec and what changed, or why the fix cannot apply.
 * A change may carry actions for the supervisor to carry out before the next attempt (install a
 * package, write a changed copy of a config file) and a delay; planning itself never does anything.
 */
public sealed interface FixPlan {
    record Change(RunSpec next, List<String> changes, List<FixAction> actions, Duration delay) implements FixPlan {
        public Change {
            changes = List.copyOf(changes);
            actions = List.copyOf(actions);
            delay = delay == null ? Duration.ZERO : delay;
        }

        public Change(RunSpec next, List<String> changes) {
            this(next, changes, List.of(), Duration.ZERO);
        }

        /** This change followed by {@code then} (planned against this change's spec). */
        public Change andThen(Change then) {
            List<String> c = new java.util.ArrayList<>(changes);
            c.addAll(then.changes);
            List<FixAction> a = new java.util.ArrayList<>(actions);
            a.addAll(then.actions);
            return new Change(then.next, c, a, delay.compareTo(then.delay) >= 0 ? delay : then.delay);
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
