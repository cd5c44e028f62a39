package dev.medic.facts;

/**
 * A log line that counts as evidence of a failure. The generic detection rules insert one for each
 * plain signature a line matched; a rule of yours inserts one where a pattern alone cannot decide
 * (a number to compare, a context to check). Hits are turned into {@link Failure}s and removed.
 */
public record Hit(String failureId, LogEvent event) {
    public String getFailureId() {
        return failureId;
    }

    public LogEvent getEvent() {
        return event;
    }

    public int getAttempt() {
        return event.getAttempt();
    }
}
