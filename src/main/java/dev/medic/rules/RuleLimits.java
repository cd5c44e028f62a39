package dev.medic.rules;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * How long one call into a rule session (an insert, a fire) may run before the rule is cut off
 * ({@link Duration#ZERO}: no limit), and what tells a waiting call that medic is being stopped
 * (SIGTERM), so that a rule that never returns cannot hold the run.
 */
public record RuleLimits(Duration timeout, BooleanSupplier stopRequested) {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    public static RuleLimits defaults() {
        return new RuleLimits(DEFAULT_TIMEOUT, () -> false);
    }
}
