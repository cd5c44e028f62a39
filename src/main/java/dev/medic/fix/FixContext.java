package dev.medic.fix;

import dev.medic.catalog.Settings;
import dev.medic.discover.FlagSource;
import dev.medic.discover.ProgramFlags;
import dev.medic.facts.Failure;
import dev.medic.facts.RunSpec;

import java.nio.file.Path;

/**
 * What an executor may read besides the spec: its settings (catalog {@code fixes.<id>}, the ladder
 * rung's params and run options over them; the executor reads them as its fix's record, e.g.
 * {@link dev.medic.catalog.ReduceBatchSizeSettings}, which the catalog loader checked them against), the failure being fixed, the run's folder, the attempt
 * that failed, how often this fix was applied earlier in the run, and where to learn which flags
 * the program accepts (asked only when a fix needs a flag the command does not show).
 */
public record FixContext(Settings settings, Failure failure, Path runDir, int attempt, int uses, FlagSource flags) {
    public FixContext {
        flags = flags == null ? FlagSource.OFF : flags;
    }

    public FixContext(Settings settings, Failure failure, Path runDir, int attempt, int uses) {
        this(settings, failure, runDir, attempt, uses, FlagSource.OFF);
    }

    public FixContext(Settings settings, Failure failure, Path runDir, int attempt) {
        this(settings, failure, runDir, attempt, 0);
    }

    /** The flags {@code spec}'s program was learnt to accept (empty when discovery is off or learnt nothing). */
    public ProgramFlags programFlags(RunSpec spec) {
        return flags.flagsFor(spec);
    }

    /** A place for files this fix writes for the next attempt: {@code <run>/fix-<attempt>/}. */
    public Path fixDir() {
        return runDir == null ? Path.of("fix-" + attempt) : runDir.resolve("fix-" + attempt);
    }
}
