package dev.medic.report;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.HashMap;

/**
 * How one rung of a failure's ladder did: how often its fix was {@code tried}, how often the next
 * attempt {@code gotPast} the failure (it ran and did not end in the same root failure), and how
 * often the run then {@code succeeded}.
 */
public record FixEffect(String failure, int step, String fix, int tried, int gotPast, int succeeded) {

    /** True when it was tried and the next attempt never got past the failure: the rung a catalog tuner looks at first. */
    public boolean neverHelps() {
        return tried > 0 && gotPast == 0;
    }

    /** The rows over {@code runs}, by failure, then rung, then fix. */
    static List<FixEffect> of(List<RunReport> runs) {
        Map<String, FixEffect> rows = new HashMap<>();
        for (RunReport run : runs) {
            for (FixReport f : run.fixes()) {
                String failure = f.failure() == null ? "(none)" : f.failure();
                AttemptReport next = run.attempt(f.attempt() + 1);
                boolean past = next != null && next.finished() && !failure.equals(next.failure());
                boolean won = run.outcome() == Outcome.RECOVERED || run.outcome() == Outcome.SUCCEEDED_FIRST_TIME;
                String key = failure + "\u0000" + f.step() + "\u0000" + f.fix();
                rows.merge(key, new FixEffect(failure, f.step(), f.fix(), 1, past ? 1 : 0, won ? 1 : 0), FixEffect::plus);
            }
        }
        return rows.values().stream().sorted(Comparator.comparing(FixEffect::failure).thenComparingInt(FixEffect::step)
                .thenComparing(FixEffect::fix)).toList();
    }

    private FixEffect plus(FixEffect o) {
        return new FixEffect(failure, step, fix, tried + o.tried, gotPast + o.gotPast, succeeded + o.succeeded);
    }
}
