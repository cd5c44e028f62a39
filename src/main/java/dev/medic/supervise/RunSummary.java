package dev.medic.supervise;

import dev.medic.journal.RunHistory;
import dev.medic.journal.RunStatus;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One run as {@code medic ps} shows it: read from its journal, and from its lock file for whether
 * a supervisor still holds it.
 *
 * @param status   running, or the run_finished status (succeeded, escalated, interrupted, ...), or
 *                 {@code dead} when no supervisor holds an unfinished run (killed; {@code --resume} continues it)
 * @param fix      the last fix applied (the one the current attempt runs with), or null
 * @param progress the last progress the run's output showed (step, loss, ...), empty when none
 */
public record RunSummary(String runId, Path dir, List<String> argv, String backend, Instant started, int attempt,
                         RunStatus status, String fix, Instant finished, Map<String, Object> progress, RunLock.Owner owner) {

    public static RunSummary read(Path dir) throws IOException {
        RunHistory h = RunHistory.read(dir.resolve("journal.jsonl"));
        RunLock.Owner owner = RunLock.liveOwner(dir).orElse(null);
        // a supervisor that has just journaled the end still holds the run until it lets go
        RunStatus status = owner != null ? RunStatus.RUNNING : h.status(RunStatus.DEAD);
        return new RunSummary(dir.getFileName().toString(), dir, h.command(), h.backend() == null ? "" : h.backend(),
                h.startedAt(), h.attempts(), status, h.lastFix(), h.finished() == null ? null : h.finished().ts(), h.progress(), owner);
    }

    public boolean live() {
        return owner != null;
    }
}
