package dev.medic.facts;

import java.util.Map;

/** One rung of a failure's fix ladder: a fix id, its parameters and how often it may be used in a run. */
public final class LadderStep {
    private final String fixId;
    private final Map<String, Object> params;
    private final int budget;

    public LadderStep(String fixId, Map<String, Object> params, int budget) {
        this.fixId = fixId;
        this.params = Map.copyOf(params);
        this.budget = budget;
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

    @Override
    public String toString() {
        return fixId + (params.isEmpty() ? "" : params.toString()) + " x" + budget;
    }
}
