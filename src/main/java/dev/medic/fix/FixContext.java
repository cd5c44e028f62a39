package dev.medic.fix;

import dev.medic.catalog.Settings;
import dev.medic.facts.Failure;

import java.nio.file.Path;

/**
 * What an executor may read besides the spec: its settings (catalog {@code fixes.<id>}, the ladder
 * rung's params and run options over them), the failure being fixed, the run's folder, the attempt
 * that failed, and how often this fix was applied earlier in the run.
 */
public record FixContext(Settings settings, Failure failure, Path runDir, int attempt, int uses) {
    public FixContext(Settings settings, Failure failure, Path runDir, int attempt) {
        this(settings, failure, runDir, attempt, 0);
    }

    /** A place for files this fix writes for the next attempt: {@code <run>/fix-<attempt>/}. */
    public Path fixDir() {
        return runDir == null ? Path.of("fix-" + attempt) : runDir.resolve("fix-" + attempt);
    }
}
