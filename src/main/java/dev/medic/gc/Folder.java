package dev.medic.gc;

import java.nio.file.Path;
import java.time.Instant;

/**
 * A folder under the run or sweep folder, as {@code medic gc} judges it: when it finished, or why
 * it is kept whatever its age.
 *
 * @param finishedAt when its run (or its sweep's last trial) finished; null when it is kept regardless
 * @param keptBecause why it is kept whatever its age; null when it finished
 */
public record Folder(Path path, Kind kind, Instant finishedAt, String keptBecause) {
    public enum Kind {
        RUN, SWEEP, OTHER;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    static Folder finished(Path path, Kind kind, Instant at) {
        return new Folder(path, kind, at, null);
    }

    static Folder kept(Path path, Kind kind, String because) {
        return new Folder(path, kind, null, because);
    }

    /** Finished before {@code cutoff}: gc may remove it. */
    public boolean finishedBefore(Instant cutoff) {
        return finishedAt != null && finishedAt.isBefore(cutoff);
    }
}
