package dev.medic.supervise;

import dev.medic.rules.RuleLimits;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * How a run is supervised. Durations of zero mean "no limit" for the timeouts.
 *
 * @param totalTimeout wall-clock limit for the whole run, backoff waits included
 * @param stallTimeout no output for this long is a {@code stall} failure; its clock starts at the
 *                     first output or after {@code startupGrace}, whichever comes first
 * @param backoff      wait before the second attempt; doubles for each later one, capped at 5 minutes
 * @param killGrace    how long a stopped attempt gets between TERM and KILL
 * @param fixSettings  per fix id, settings that run options lay over the catalog's and the ladder's
 * @param maxLogBytes  what an attempt log may hold: the first and the last half of it (0: no limit)
 * @param progressTimeout once the output has shown progress (a step or an epoch), no further
 *                     progress for this long is a {@code stall} failure even while lines keep coming (0: off)
 * @param ruleTimeout  how long one evaluation of the rules (a line, an attempt's end) may run before
 *                     the rule is cut off and the run ends (0: no limit)
 * @param discover     whether a fix that needs a flag the command does not show may learn the
 *                     program's flags from its source or --help (--no-discover turns it off)
 */
public record RunOptions(int maxAttempts, Duration attemptTimeout, Duration totalTimeout, Duration stallTimeout,
                         Duration startupGrace, Duration backoff, Duration killGrace, Path runDir, boolean dryRun,
                         int maxLine, Map<String, Map<String, Object>> fixSettings, long maxLogBytes,
                         Duration progressTimeout, Duration ruleTimeout, boolean discover) {
    public static final Duration MAX_BACKOFF = Duration.ofMinutes(5);

    public RunOptions {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("--max-attempts must be at least 1");
        }
        fixSettings = Map.copyOf(fixSettings);
        if (maxLogBytes < 0) {
            throw new IllegalArgumentException("--max-log-size cannot be negative");
        }
        if (progressTimeout == null) {
            progressTimeout = Duration.ZERO;
        }
        if (ruleTimeout == null) {
            ruleTimeout = RuleLimits.DEFAULT_TIMEOUT;
        }
    }

    public RunOptions(int maxAttempts, Duration attemptTimeout, Duration totalTimeout, Duration stallTimeout,
                      Duration startupGrace, Duration backoff, Duration killGrace, Path runDir, boolean dryRun, int maxLine) {
        this(maxAttempts, attemptTimeout, totalTimeout, stallTimeout, startupGrace, backoff, killGrace, runDir, dryRun,
                maxLine, Map.of(), 0, Duration.ZERO, null, true);
    }

    /** These options with settings of one fix laid over the catalog's (from flags such as --pip-policy). */
    public RunOptions withFixSettings(String fixId, Map<String, Object> settings) {
        Map<String, Map<String, Object>> m = new java.util.HashMap<>(fixSettings);
        Map<String, Object> merged = new java.util.LinkedHashMap<>(m.getOrDefault(fixId, Map.of()));
        merged.putAll(settings);
        m.put(fixId, merged);
        return new RunOptions(maxAttempts, attemptTimeout, totalTimeout, stallTimeout, startupGrace, backoff, killGrace,
                runDir, dryRun, maxLine, m, maxLogBytes, progressTimeout, ruleTimeout, discover);
    }

    /** These options with attempt logs limited to {@code bytes} (0: no limit). */
    public RunOptions withMaxLogBytes(long bytes) {
        return new RunOptions(maxAttempts, attemptTimeout, totalTimeout, stallTimeout, startupGrace, backoff, killGrace,
                runDir, dryRun, maxLine, fixSettings, bytes, progressTimeout, ruleTimeout, discover);
    }

    /** These options with the no-progress stall limit set (zero: off). */
    public RunOptions withProgressTimeout(Duration timeout) {
        return new RunOptions(maxAttempts, attemptTimeout, totalTimeout, stallTimeout, startupGrace, backoff, killGrace,
                runDir, dryRun, maxLine, fixSettings, maxLogBytes, timeout, ruleTimeout, discover);
    }

    /** These options with one evaluation of the rules limited to {@code timeout} (zero: no limit). */
    public RunOptions withRuleTimeout(Duration timeout) {
        return new RunOptions(maxAttempts, attemptTimeout, totalTimeout, stallTimeout, startupGrace, backoff, killGrace,
                runDir, dryRun, maxLine, fixSettings, maxLogBytes, progressTimeout, timeout, discover);
    }

    /** These options with flag discovery on or off. */
    public RunOptions withDiscover(boolean on) {
        return new RunOptions(maxAttempts, attemptTimeout, totalTimeout, stallTimeout, startupGrace, backoff, killGrace,
                runDir, dryRun, maxLine, fixSettings, maxLogBytes, progressTimeout, ruleTimeout, on);
    }

    /** These options for runs in another folder (a sweep's trials). */
    public RunOptions withRunDir(Path dir, boolean dry) {
        return new RunOptions(maxAttempts, attemptTimeout, totalTimeout, stallTimeout, startupGrace, backoff, killGrace,
                dir, dry, maxLine, fixSettings, maxLogBytes, progressTimeout, ruleTimeout, discover);
    }

    public static RunOptions defaults(Path runDir) {
        return new RunOptions(5, Duration.ZERO, Duration.ZERO, Duration.ofMinutes(30), Duration.ofMinutes(10),
                Duration.ofSeconds(1), Duration.ofSeconds(10), runDir, false, 64 * 1024);
    }

    /** The wait before attempt {@code next} (2, 3, ...). */
    public Duration backoffBefore(int next) {
        if (backoff.isZero() || next < 2) {
            return Duration.ZERO;
        }
        if (backoff.compareTo(MAX_BACKOFF) >= 0) {
            return MAX_BACKOFF;
        }
        long factor = 1L << Math.min(next - 2, 20);
        Duration d = backoff.multipliedBy(factor);
        return d.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : d;
    }
}
