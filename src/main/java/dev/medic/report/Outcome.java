package dev.medic.report;

import dev.medic.journal.RunStatus;

/** How a run came out, as the report counts it. */
public enum Outcome {
    SUCCEEDED_FIRST_TIME("succeeded first time"),
    RECOVERED("recovered"),
    ESCALATED("escalated"),
    FAILED("failed"),
    RUNNING("running");

    private final String words;

    Outcome(String words) {
        this.words = words;
    }

    /** The words the report shows. */
    public String words() {
        return words;
    }

    /** The id --json writes: the words with underscores. */
    public String id() {
        return words.replace(' ', '_');
    }

    /**
     * A run's outcome from its status and the attempts it took. A run that has not finished counts
     * as running (live, or its supervisor was killed: the report does not ask the lock); an
     * interrupted one as failed.
     */
    static Outcome of(RunStatus status, int attempts) {
        return switch (status) {
            case SUCCEEDED -> attempts <= 1 ? SUCCEEDED_FIRST_TIME : RECOVERED;
            case ESCALATED -> ESCALATED;
            case FAILED, INTERRUPTED -> FAILED;
            default -> RUNNING;
        };
    }
}
