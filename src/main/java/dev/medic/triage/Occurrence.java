package dev.medic.triage;

import java.time.Instant;

/**
 * One attempt whose root failure triage groups: where it was, when, and its error line.
 *
 * @param run     the run id as {@code medic history} takes it ({@code SWEEP/RUN} for a sweep trial)
 * @param seen    when the failure was journaled; null when its record has no readable time
 * @param line    the error line (redacted, free of terminal controls)
 * @param exit    how the attempt ended, for an attempt with no output ({@code exit code 3}, {@code signal KILL})
 * @param masked  the line masked: equal masks are one group
 */
public record Occurrence(String run, int attempt, String failure, Instant seen, ErrorLine line, Exit exit, MaskedLine masked) {
    /** The attempt's exit code and signal name (null when it had none). */
    public record Exit(Integer code, String signal) {
        public String describe() {
            return signal != null ? "signal " + signal : code != null ? "exit code " + code : "no exit status";
        }
    }

    /** What groups occurrences: the masked line, or for an attempt without output how it ended. */
    public String signature() {
        return line.kind() == ErrorLine.Kind.NO_OUTPUT ? "(no output) " + exit.describe() : masked.text();
    }
}
