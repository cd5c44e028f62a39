package dev.medic.fix;

import dev.medic.catalog.RetryBackoffSettings;
import dev.medic.facts.RunSpec;
import dev.medic.util.Durations;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The same command again after an exponential backoff with jitter, for failures that pass (a
 * network blip, a peer that restarted): {@code initial * factor^uses}, capped, then spread by
 * +-jitter so that many runs hit by one outage do not retry in step.
 */
public final class RetryBackoff implements FixExecutor {
    @Override
    public String id() {
        return "retry_backoff";
    }

    @Override
    public boolean needsCommand() {
        return false;
    }

    @Override
    public FixPlan plan(RunSpec spec, FixContext context) {
        RetryBackoffSettings s = RetryBackoffSettings.of(context.settings());
        Duration initial = s.initial();
        Duration max = s.max();
        double factor = s.factor();
        double jitter = s.jitter();
        double base = Math.min(max.toMillis(), initial.toMillis() * Math.pow(factor, context.uses()));
        double spread = base * jitter * (ThreadLocalRandom.current().nextDouble() * 2 - 1);
        Duration delay = Duration.ofMillis(Math.max(0, Math.round(Math.min(max.toMillis(), base + spread))));
        return new FixPlan.Change(spec, List.of("the same command again after " + Durations.format(delay)), List.of(), delay);
    }
}
