package dev.medic.facts;

import java.util.Map;

/** What the choice rules decided for the next attempt: a fix from the ladder, or escalate to a person. */
public final class FixDecision {
    public static final String ESCALATE = "escalate";

    private final String failureId;
    private final int step;
    private final String fixId;
    private final Map<String, Object> params;
    private final String reason;

    public FixDecision(String failureId, int step, String fixId, Map<String, Object> params, String reason) {
        this.failureId = failureId;
        this.step = step;
        this.fixId = fixId;
        this.params = Map.copyOf(params);
        this.reason = reason;
    }

    public static FixDecision take(FixOption o, String reason) {
        return new FixDecision(o.getFailureId(), o.getStep(), o.getFixId(), o.getParams(), reason);
    }

    public static FixDecision escalate(String failureId, String reason) {
        return new FixDecision(failureId, -1, ESCALATE, Map.of(), reason);
    }

    public String getFailureId() {
        return failureId;
    }

    /** The ladder index, or -1 for an escalation that is not a ladder rung. */
    public int getStep() {
        return step;
    }

    public String getFixId() {
        return fixId;
    }

    public Map<String, Object> getParams() {
        return params;
    }

    public String getReason() {
        return reason;
    }

    public boolean isEscalate() {
        return ESCALATE.equals(fixId);
    }

    @Override
    public String toString() {
        return fixId + (params.isEmpty() ? "" : " " + params) + " (" + reason + ")";
    }
}
