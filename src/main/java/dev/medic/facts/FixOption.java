package dev.medic.facts;

import java.util.Map;

/**
 * One rung of the root failure's ladder as it stands for the next attempt. Java fills in whether
 * its executor exists and can apply to the current command; the choice rules mark further rungs
 * skipped (budget spent, the failure came back unchanged) and pick the first one left.
 */
public final class FixOption {
    private final String failureId;
    private final int step;
    private final String fixId;
    private final Map<String, Object> params;
    private final int budget;
    private boolean skipped;
    private String skipReason;

    public FixOption(String failureId, int step, String fixId, Map<String, Object> params, int budget) {
        this.failureId = failureId;
        this.step = step;
        this.fixId = fixId;
        this.params = Map.copyOf(params);
        this.budget = budget;
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

    public int getBudget() {
        return budget;
    }

    public boolean isSkipped() {
        return skipped;
    }

    public String getSkipReason() {
        return skipReason;
    }

    public boolean isEscalate() {
        return FixDecision.ESCALATE.equals(fixId);
    }

    public void skip(String reason) {
        if (!skipped) {
            skipped = true;
            skipReason = reason;
        }
    }

    @Override
    public String toString() {
        return failureId + ".ladder[" + step + "] " + fixId + (skipped ? " (skipped: " + skipReason + ")" : "");
    }
}
