package dev.medic.sweep;

import java.util.List;

/** How a trial ended, as the sweep's table and files show it. */
public record TrialResult(Trial trial, String runId, String status, int attempts, String rootFailure, List<String> fixes,
                          long durationMillis, List<String> gpus) {
    public TrialResult {
        fixes = List.copyOf(fixes);
        gpus = List.copyOf(gpus);
    }

    public boolean succeeded() {
        return status.equals("succeeded");
    }
}
