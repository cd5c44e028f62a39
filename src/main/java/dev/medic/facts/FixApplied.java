package dev.medic.facts;

import java.util.Map;

/**
 * A fix applied after {@code attempt} failed with {@code failureId}; {@code step} is its index in
 * that failure's ladder. {@code changedCommand} is false for fixes that run the same spec again
 * (a plain retry), so "the same failure came back" says nothing against them.
 */
public record FixApplied(int attempt, String failureId, int step, String fixId, Map<String, Object> params,
                         boolean changedCommand) {
    public int getAttempt() {
        return attempt;
    }

    public String getFailureId() {
        return failureId;
    }

    public int getStep() {
        return step;
    }

    public String getFixId() {
        return fixId;
    }

    public Map<String, Object> getParams() {
        return params;
    }

    public boolean isChangedCommand() {
        return changedCommand;
    }
}
