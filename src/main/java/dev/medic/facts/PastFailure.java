package dev.medic.facts;

/** The root failure of an earlier attempt of the same run, as the choice rules see history. */
public record PastFailure(int attempt, String id, String fingerprint) {
    public int getAttempt() {
        return attempt;
    }

    public String getId() {
        return id;
    }

    public String getFingerprint() {
        return fingerprint;
    }
}
