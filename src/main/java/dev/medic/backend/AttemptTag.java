package dev.medic.backend;

import java.nio.file.Path;

/**
 * Which run and attempt a backend is starting, so that what it creates can be labelled and found
 * again, and where the run's folder is (a batch job writes its script and output there).
 */
public record AttemptTag(String runId, int attempt, Path runDir) {
}
