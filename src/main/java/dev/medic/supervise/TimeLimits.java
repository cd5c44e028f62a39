package dev.medic.supervise;

import dev.medic.util.Durations;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * A run's four time limits: {@code --attempt-timeout}, {@code --timeout} (the whole run),
 * {@code --stall-timeout} (no output, counted from the end of {@code --startup-grace} until the
 * first line) and {@code --progress-timeout} (no new step). Says which one an attempt has passed
 * and how long until the next one could pass. All time comes from one {@link Clock}.
 */
final class TimeLimits {
    /** Monotonic nanoseconds for what has elapsed; wall-clock milliseconds for when output and progress were seen. */
    interface Clock {
        long nanos();

        long millis();

        Clock SYSTEM = new Clock() {
            @Override
            public long nanos() {
                return System.nanoTime();
            }

            @Override
            public long millis() {
                return System.currentTimeMillis();
            }
        };
    }

    /** A limit the attempt has passed: a timeout, or a stall (no output, no progress). */
    record Passed(String reason, boolean timedOut) {
    }

    /** How long a wait for the attempt's next event lasts at most. */
    static final long POLL_MS = 250;

    private final RunOptions options;
    private final Clock clock;
    private final long runStart;
    private long attemptStart;

    TimeLimits(RunOptions options, Clock clock) {
        this.options = options;
        this.clock = clock;
        this.runStart = clock.nanos();
        this.attemptStart = runStart;
    }

    /** The attempt's time starts now, or {@code elapsedMs} ago for an attempt taken up from a supervisor that died. */
    void attemptStarted(long elapsedMs) {
        attemptStart = clock.nanos() - elapsedMs * 1_000_000L;
    }

    long attemptMillis() {
        return (clock.nanos() - attemptStart) / 1_000_000;
    }

    long runMillis() {
        return (clock.nanos() - runStart) / 1_000_000;
    }

    /** What is left of {@code --timeout}, or null when there is none. */
    Duration timeLeft() {
        if (options.totalTimeout().isZero()) {
            return null;
        }
        return Duration.ofMillis(Math.max(0, options.totalTimeout().toMillis() - runMillis()));
    }

    /**
     * The first limit the attempt has passed, or null. {@code lastOutputMillis} is 0 before the first
     * output; {@code lastProgressMillis} is negative before the first step; {@code progressNow} says
     * what the last progress was, for the message.
     */
    Passed passed(long lastOutputMillis, long lastProgressMillis, Supplier<String> progressNow) {
        if (!options.attemptTimeout().isZero() && attemptMillis() >= options.attemptTimeout().toMillis()) {
            return new Passed("ran past the attempt timeout (" + Durations.format(options.attemptTimeout()) + ")", true);
        }
        if (!options.stallTimeout().isZero() && msUntilStall(lastOutputMillis) <= 0) {
            return new Passed("no output for " + Durations.format(options.stallTimeout()), false);
        }
        if (msUntilProgressStall(lastProgressMillis) <= 0) {
            return new Passed("no progress for " + Durations.format(options.progressTimeout()) + " (last: " + progressNow.get() + ")", false);
        }
        Duration left = timeLeft();
        if (left != null && left.isZero()) {
            return new Passed("ran past the total timeout (" + Durations.format(options.totalTimeout()) + ")", true);
        }
        return null;
    }

    /** How long to wait for the attempt's next event: at most {@link #POLL_MS}, less when a stall is due sooner. */
    long pollMillis(long lastOutputMillis, long lastProgressMillis) {
        // a deadline already passed has started the stop: waiting on it again would spin
        long wait = POLL_MS;
        long progressDue = msUntilProgressStall(lastProgressMillis);
        if (progressDue > 0) {
            wait = Math.min(wait, progressDue);
        }
        if (!options.stallTimeout().isZero()) {
            long stallDue = msUntilStall(lastOutputMillis);
            if (stallDue > 0) {
                wait = Math.min(wait, stallDue);
            }
        }
        return wait;
    }

    /** Milliseconds until the stall limit: counted from the last output, or from the end of the startup grace. */
    private long msUntilStall(long lastOutputMillis) {
        long now = clock.millis();
        long reference = lastOutputMillis > 0 ? lastOutputMillis : now - attemptMillis() + options.startupGrace().toMillis();
        return reference + options.stallTimeout().toMillis() - now;
    }

    /** Milliseconds until --progress-timeout passes without progress; MAX_VALUE while it cannot (off, or no progress yet). */
    private long msUntilProgressStall(long lastProgressMillis) {
        if (options.progressTimeout().isZero() || lastProgressMillis < 0) {
            return Long.MAX_VALUE;
        }
        return lastProgressMillis + options.progressTimeout().toMillis() - clock.millis();
    }
}
