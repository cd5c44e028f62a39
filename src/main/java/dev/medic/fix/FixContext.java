package dev.medic.fix;

import dev.medic.catalog.Settings;
import dev.medic.facts.Failure;

import java.nio.file.Path;

/**
 * What an executor may read besides the spec: its settings (catalog {@code fixes.<id>} with the
 * ladder rung's params over them), the failure being fixed, and the run's folder.
 */
public record FixContext(Settings settings, Failure failure, Path runDir, int attempt) {
}
