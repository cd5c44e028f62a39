package dev.medic.supervise;

import dev.medic.facts.FixApplied;
import dev.medic.facts.PastFailure;
import dev.medic.journal.RunHistory;

import java.util.List;

/**
 * What the choice rules know of a run's earlier attempts (root failures, fixes applied), read back
 * from its journal, so {@code medic replay --history} decides as the live run would have next.
 */
public record History(List<PastFailure> pastFailures, List<FixApplied> applied, int attempts, List<String> lastArgv) {
    public History {
        pastFailures = List.copyOf(pastFailures);
        applied = List.copyOf(applied);
        lastArgv = List.copyOf(lastArgv);
    }

    public static History none() {
        return new History(List.of(), List.of(), 0, List.of());
    }

    /** What the journal's run had been through, as its next attempt's choice would see it. */
    public static History of(RunHistory run) {
        return new History(run.pastFailures(), run.applied(), run.attempts(), run.nextArgv());
    }
}
