package dev.medic.fix;

import dev.medic.facts.RunSpec;

import java.util.List;

/** Runs the same command again (after the run's backoff): for failures that may be transient. */
public final class Retry implements FixExecutor {
    @Override
    public String id() {
        return "retry";
    }

    @Override
    public boolean needsCommand() {
        return false;
    }

    @Override
    public FixPlan plan(RunSpec spec, FixContext context) {
        return FixPlan.change(spec, List.of("none: the same command again"));
    }
}
