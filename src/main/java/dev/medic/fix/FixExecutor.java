package dev.medic.fix;

import dev.medic.catalog.Settings;
import dev.medic.facts.RunSpec;

import java.util.Optional;

/**
 * Turns one attempt's spec into the next attempt's. Implementations are pure: they read the spec
 * and the settings and return a plan; nothing runs and no file of the user's is edited.
 */
public interface FixExecutor {
    /** The id ladders name this fix by. */
    String id();

    /** What applying this fix to {@code spec} would do, or why it cannot apply. */
    FixPlan plan(RunSpec spec, FixContext context);

    /**
     * False for fixes whose retry is not the run's fault (moving off a faulty GPU): the attempt
     * they follow does not count against --max-attempts. Their ladder budget still bounds them.
     */
    default boolean spendsAttemptBudget() {
        return true;
    }

    /**
     * False for fixes whose plan reads nothing of the command's argv (an environment variable, a
     * package named by the log): a replay without a command can still show what they would change.
     */
    default boolean needsCommand() {
        return true;
    }

    /**
     * This fix's name as a layer laid over whatever fix the ladder chose ({@code resume}), when
     * {@code settings} ask for it; empty for a fix that only runs as a rung. A layer that cannot
     * apply is journaled as {@code <name>_skipped} and the chosen fix goes ahead alone.
     */
    default Optional<String> layer(Settings settings) {
        return Optional.empty();
    }
}
