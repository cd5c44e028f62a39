package dev.medic.supervise;

import java.nio.file.Path;

/** How a supervised run ended. */
public record RunResult(String runId, Path runDir, Status status, int attempts, int exitCode) {
    public enum Status {
        SUCCEEDED, FAILED, ESCALATED, INTERRUPTED, DRY_RUN;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
