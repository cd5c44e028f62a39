package dev.medic.supervise;

import dev.medic.facts.FixApplied;
import dev.medic.facts.PastFailure;

import java.util.ArrayList;
import java.util.List;

/**
 * What a run has been through that its later attempts are judged by: the root failures seen, the
 * fixes applied (the ladders' memory), each attempt's summary line (for the escalation), and the
 * attempts that did not count against {@code --max-attempts}. A resumed run starts from its journal's.
 */
final class RunLedger {
    private final List<PastFailure> failures = new ArrayList<>();
    private final List<FixApplied> applied = new ArrayList<>();
    private final List<String> summaries = new ArrayList<>();
    private int freeAttempts;

    /** Takes over a resumed run's history; {@code freeAttempts} as its journal counts them. */
    void resume(RunState state, int freeAttempts) {
        failures.addAll(state.pastFailures());
        applied.addAll(state.applied());
        summaries.addAll(state.summaries());
        this.freeAttempts = freeAttempts;
    }

    void failed(PastFailure f) {
        failures.add(f);
    }

    void applied(FixApplied fix) {
        applied.add(fix);
    }

    void summary(String line) {
        summaries.add(line);
    }

    /** One more attempt that does not count against --max-attempts; returns how many there are. */
    int freeAttempt() {
        return ++freeAttempts;
    }

    int freeAttempts() {
        return freeAttempts;
    }

    /** Live views: the rules of the next attempt see what this one adds. */
    List<PastFailure> pastFailures() {
        return failures;
    }

    List<FixApplied> applied() {
        return applied;
    }

    List<String> summaries() {
        return List.copyOf(summaries);
    }
}
