package dev.medic.cli;

import dev.medic.MedicException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Finds the folder a RUN argument means: a run folder's path, a run id under the run dir, a sweep
 * trial as {@code SWEEP/RUN}, or an unambiguous beginning of a run id.
 */
final class RunRef {
    private RunRef() {
    }

    static Path resolve(String ref, Path runDir, Path sweepDir) {
        Path asDir = Path.of(ref);
        if (isRun(asDir)) {
            return asDir;
        }
        String[] parts = ref.split("/");
        if (parts.length == 1 && !ref.isEmpty() && !ref.startsWith(".")) {
            if (isRun(runDir.resolve(ref))) {
                return runDir.resolve(ref);
            }
            List<Path> matches = new ArrayList<>();
            try (Stream<Path> s = Files.isDirectory(runDir) ? Files.list(runDir) : Stream.empty()) {
                s.filter(d -> d.getFileName().toString().startsWith(ref) && isRun(d)).forEach(matches::add);
            } catch (IOException e) {
                throw MedicException.badInput("cannot list " + runDir + ": " + e.getMessage());
            }
            if (matches.size() == 1) {
                return matches.get(0);
            }
            if (matches.size() > 1) {
                throw MedicException.badInput("'" + ref + "' matches " + matches.size() + " runs under " + runDir
                        + "; give more of the run id");
            }
        } else if (parts.length == 2 && !parts[0].startsWith(".") && !parts[1].startsWith(".")) {
            Path trial = sweepDir.resolve(parts[0]).resolve("trials").resolve(parts[1]);
            if (isRun(trial)) {
                return trial;
            }
        }
        throw MedicException.badInput("no run '" + ref + "' under " + runDir + " (give a run id, SWEEP/RUN, or a run folder)");
    }

    private static boolean isRun(Path dir) {
        return Files.isRegularFile(dir.resolve("journal.jsonl"));
    }
}
