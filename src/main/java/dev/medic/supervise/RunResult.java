package dev.medic.supervise;

import dev.medic.journal.RunStatus;

import java.nio.file.Path;

/** How a supervised run ended. */
public record RunResult(String runId, Path runDir, RunStatus status, int attempts, int exitCode) {
}
