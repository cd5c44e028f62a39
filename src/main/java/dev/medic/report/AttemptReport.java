package dev.medic.report;

import java.time.Instant;
import java.util.List;

/**
 * One attempt of a run: when it started, how long it ran (0 while it has not finished), how it
 * ended (its exit code, null when unknown), its root failure (null when none was recognised) and
 * that failure's evidence lines.
 */
public record AttemptReport(int attempt, Instant started, long durationMs, boolean finished, Integer exitCode, String failure,
                            List<String> evidence) {
}
