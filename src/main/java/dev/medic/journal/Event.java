package dev.medic.journal;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One record of a run's journal, as {@link JournalCodec} reads it. Every record has its time
 * ({@code ts}, null when it cannot be read) and the attempt it belongs to (0 before the first);
 * the components of each kind are the fields medic writes for it, in the order it writes them.
 * A kind this medic does not know (a newer medic's, or an older one's that was dropped) is read
 * as {@link Unknown}, so one new record never makes a whole journal unreadable. An event about to
 * be written has no time yet ({@code ts} null): {@link Journal#write} stamps it.
 */
public sealed interface Event {
    Instant ts();

    int attempt();

    /** The record's {@code event} word, as written. */
    default String kind() {
        return JournalCodec.kind(this);
    }

    /** {@code format} is the journal format's number, null in journals from before it had one (format 0). */
    record RunStarted(Instant ts, int attempt, Object format, String runId, List<String> argv, String cwd, String medicVersion,
                      String backend, String rules, String catalog, String runDir, int maxAttempts, boolean dryRun) implements Event {
    }

    /** {@code previousStatus} is null when the run never finished (its supervisor died). */
    record RunResumed(Instant ts, int attempt, String runId, List<String> argv, List<String> envChanged, String medicVersion,
                      String backend, String previousStatus, String tookOverLockFrom, int maxAttempts, int attemptsSpent)
            implements Event {
    }

    /** {@code handle} is what the backend needs to take the attempt up again (a local attempt's marker and spool). */
    record AttemptStarted(Instant ts, int attempt, List<String> argv, List<String> envChanged, Long pid, String process, String log,
                          Map<String, Object> handle) implements Event {
        /** Every plain field of the record, as text: what a backend that takes the attempt up reads. */
        public Map<String, String> scalars() {
            Map<String, String> out = new java.util.TreeMap<>();
            out.put("event", "attempt_started");
            out.put("attempt", Integer.toString(attempt));
            if (ts != null) {
                out.put("ts", ts.toString());
            }
            if (pid != null) {
                out.put("pid", pid.toString());
            }
            if (process != null) {
                out.put("process", process);
            }
            if (log != null) {
                out.put("log", log);
            }
            handle.forEach((k, v) -> {
                if (v != null && !(v instanceof Map) && !(v instanceof List)) {
                    out.put(k, String.valueOf(v));
                }
            });
            return out;
        }
    }

    record AttemptAdopted(Instant ts, int attempt, Long pid, String process, String log, long linesBefore, long stdoutFrom,
                          long stderrFrom) implements Event {
    }

    record AttemptAbandoned(Instant ts, int attempt, String reason) implements Event {
    }

    record AttemptStopping(Instant ts, int attempt, String reason, String failure) implements Event {
    }

    /** {@code lastProgress} is empty when the attempt showed none; {@code oomEvidence} is null unless the system saw an OOM kill. */
    record AttemptFinished(Instant ts, int attempt, Integer exitCode, String signal, String state, long durationMs, long lines,
                           long bytes, long droppedBytes, long droppedLines, boolean timedOut, boolean stalled, String stoppedFor,
                           Map<String, Object> lastProgress, String oomEvidence) implements Event {
    }

    record Requeued(Instant ts, int attempt, String state) implements Event {
    }

    /** The fields are the progress parser's (step, total_steps, epoch, loss, ...), whichever the line had. */
    record Progress(Instant ts, int attempt, Map<String, Object> fields) implements Event {
    }

    record Failure(Instant ts, int attempt, String failure, boolean root, String fingerprint, int matches,
                   List<Evidence> evidence) implements Event {
    }

    record Evidence(long line, String stream, String text) {
    }

    record Decision(Instant ts, int attempt, String failure, String fix, Map<String, Object> params, Integer step, String reason,
                    List<Skipped> skipped) implements Event {
    }

    record Skipped(int step, String fix, String reason) {
    }

    record FixPlanned(Instant ts, int attempt, String fix, List<String> changes, List<String> argv) implements Event {
    }

    /** {@code outputTail}: the action's last lines of output; {@code log} where all of it is, null when nowhere. */
    record FixAction(Instant ts, int attempt, String fix, String action, List<String> argv, boolean ok, String result,
                     List<String> outputTail, String log) implements Event {
    }

    /** {@code argv} is null in journals that did not record the next command; {@code changed} null where it was not recorded. */
    record FixApplied(Instant ts, int attempt, String fix, List<String> changes, List<String> argv, List<String> envChanged,
                      Map<String, String> envSet, List<String> envUnset, Map<String, String> backendSettings, Boolean changed,
                      boolean spendsAttempt) implements Event {
    }

    /** A layer fix (resume from checkpoint: {@code resume}) that could not be laid over the chosen one; its kind is {@code <layer>_skipped}. */
    record LayerSkipped(Instant ts, int attempt, String layer, String reason) implements Event {
        @Override
        public String kind() {
            return layer + "_skipped";
        }
    }

    record Backoff(Instant ts, int attempt, long waitMs) implements Event {
    }

    record Escalated(Instant ts, int attempt, String failure, String reason, Map<String, String> notified) implements Event {
    }

    record RunFinished(Instant ts, int attempt, RunStatus status, int exitCode, int attempts, long durationMs) implements Event {
    }

    /** {@code method} is null when no flags were learnt; {@code whyNot} says why, or what was partial. */
    record FlagsDiscovered(Instant ts, int attempt, String script, String method, int flags, String whyNot) implements Event {
    }

    record Warning(Instant ts, int attempt, String message) implements Event {
    }

    record Reloaded(Instant ts, int attempt, String message) implements Event {
    }

    record LeftoverStopped(Instant ts, int attempt, String message) implements Event {
    }

    record LinkRefused(Instant ts, int attempt, String path, String message) implements Event {
    }

    record RulesFailed(Instant ts, int attempt, String message) implements Event {
    }

    record LogWriteFailed(Instant ts, int attempt, String log, String error) implements Event {
    }

    /** A record of a kind this medic does not know, with its fields as read. */
    record Unknown(Instant ts, int attempt, String kind, Map<String, Object> fields) implements Event {
    }
}
