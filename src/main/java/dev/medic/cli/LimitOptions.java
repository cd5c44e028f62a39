package dev.medic.cli;

import dev.medic.MedicException;
import dev.medic.supervise.RunOptions;
import dev.medic.util.ByteSizes;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;

/** Attempts, timeouts, backoff and the log size: shared by `medic run` and `medic sweep` (each trial is a run). */
final class LimitOptions {
    @Option(names = "--max-attempts", defaultValue = "5", description = "Attempts in all, the first included (default: ${DEFAULT-VALUE}).")
    int maxAttempts;

    @Option(names = "--attempt-timeout", defaultValue = "0", converter = DurationConverter.class,
            description = "Stop an attempt that runs longer (a 'timeout' failure). Default: no limit.")
    Duration attemptTimeout;

    @Option(names = "--total-timeout", defaultValue = "0", converter = DurationConverter.class,
            description = "Wall-clock limit for the whole run, backoff waits included. Default: no limit.")
    Duration totalTimeout;

    @Option(names = "--stall-timeout", defaultValue = "30m", converter = DurationConverter.class,
            description = "No output for this long is a 'stall' failure (default: ${DEFAULT-VALUE}); counted from the first output, or from the end of --startup-grace if there is none yet.")
    Duration stallTimeout;

    @Option(names = "--startup-grace", defaultValue = "10m", converter = DurationConverter.class,
            description = "Silence allowed at start before the stall clock runs (default: ${DEFAULT-VALUE}).")
    Duration startupGrace;

    @Option(names = "--backoff", defaultValue = "1s", converter = DurationConverter.class,
            description = "Wait before the second attempt; doubles for each later one, capped at 5m (default: ${DEFAULT-VALUE}).")
    Duration backoff;

    @Option(names = "--kill-grace", defaultValue = "10s", converter = DurationConverter.class,
            description = "Time between TERM and KILL when an attempt is stopped (default: ${DEFAULT-VALUE}).")
    Duration killGrace;

    @Option(names = "--max-log-size", defaultValue = "0", paramLabel = "SIZE", converter = ByteSizeConverter.class,
            description = "Keep at most this much of each attempt's output in its log (e.g. 500M, 2G): the first and the last half, "
                    + "with a line saying what was dropped between them. Detection still sees every line. Default: no limit.")
    long maxLogSize;

    @Option(names = "--progress-timeout", defaultValue = "0", converter = DurationConverter.class,
            description = "Once the output has shown a step or an epoch, no further progress for this long is a 'stall' failure,"
                    + " even while other lines keep coming (a hung data loader that logs warnings). Default: off.")
    Duration progressTimeout;

    @Option(names = "--rule-timeout", defaultValue = "10s", converter = DurationConverter.class,
            description = "How long the rules may take over one line or an attempt's end; a rule that runs longer (a loop, a sleep)"
                    + " ends the run, exit 2, naming it (default: ${DEFAULT-VALUE}; 0: no limit).")
    Duration ruleTimeout;

    @Option(names = "--discover", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "When a fix needs a flag the command does not give, learn the flags the Python script accepts"
                    + " from its source, else its --help (10 s, no GPUs). --no-discover (or `discover: false` in medic.yaml)"
                    + " turns this off. Default: on.")
    boolean discover;

    /** Below this, the halves would be a few lines each: 0 (no limit) or at least this. */
    private static final long MIN_LOG_SIZE = 1L << 20;

    RunOptions toRunOptions(Path runDir, boolean dryRun) {
        if (maxAttempts < 1) {
            throw MedicException.badInput("--max-attempts must be at least 1, not " + maxAttempts);
        }
        if (maxLogSize != 0 && maxLogSize < MIN_LOG_SIZE) {
            throw MedicException.badInput("--max-log-size must be 0 (no limit) or at least 1M, not " + ByteSizes.format(maxLogSize));
        }
        return new RunOptions(maxAttempts, attemptTimeout, totalTimeout, stallTimeout, startupGrace, backoff, killGrace,
                runDir, dryRun, 64 * 1024).withMaxLogBytes(maxLogSize).withProgressTimeout(progressTimeout)
                .withRuleTimeout(ruleTimeout).withDiscover(discover);
    }
}
