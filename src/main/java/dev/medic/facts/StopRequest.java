package dev.medic.facts;

/** Inserted by a rule to stop a live attempt now (e.g. the loss went NaN; waiting burns GPU hours). */
public record StopRequest(int attempt, String failureId, String reason) {
    public int getAttempt() {
        return attempt;
    }

    public String getFailureId() {
        return failureId;
    }

    public String getReason() {
        return reason;
    }
}
