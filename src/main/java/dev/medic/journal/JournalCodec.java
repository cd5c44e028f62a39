package dev.medic.journal;

import dev.medic.journal.Event.*;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The journal's records as events: one JSON object a line ({@link JsonLine}), {@code ts},
 * {@code event} and {@code attempt} first. The only place that knows the event words and their
 * fields; the rest of medic sees {@link Event}s.
 */
public final class JournalCodec {
    /** The fields of attempt_started that are not its backend's handle. */
    private static final List<String> ATTEMPT_STARTED = List.of("argv", "env_changed", "pid", "process", "log");

    private JournalCodec() {
    }

    /** A line as its event. */
    public static Event decode(String line) throws IOException {
        return decode(JsonLine.parse(line));
    }

    /** A line {@link JsonLine#encode} just wrote, which cannot fail to read. */
    static Event decodeOwn(String line) {
        try {
            return decode(line);
        } catch (IOException e) {
            throw new UncheckedIOException("a journal record does not read back: " + line, e);
        }
    }

    /** A record, as written or parsed, as its event. */
    public static Event decode(Map<String, Object> record) {
        Fields f = new Fields(record);
        var ts = f.instant("ts");
        int n = f.integer("attempt", 0);
        String kind = f.text("event");
        return switch (kind == null ? "" : kind) {
            case "run_started" -> new RunStarted(ts, n, f.raw("format"), f.text("run_id"), f.strings("argv"), f.text("cwd"),
                    f.text("medic_version"), f.text("backend"), f.text("rules"), f.text("catalog"), f.text("run_dir"),
                    f.integer("max_attempts", 0), f.bool("dry_run", false));
            case "run_resumed" -> new RunResumed(ts, n, f.text("run_id"), f.strings("argv"), f.strings("env_changed"),
                    f.text("medic_version"), f.text("backend"), f.text("previous_status"), f.text("took_over_lock_from"),
                    f.integer("max_attempts", 0), f.integer("attempts_spent", 0));
            case "attempt_started" -> new AttemptStarted(ts, n, f.strings("argv"), f.strings("env_changed"), f.optNumber("pid"),
                    f.text("process"), f.text("log"), f.except(ATTEMPT_STARTED));
            case "attempt_adopted" -> new AttemptAdopted(ts, n, f.optNumber("pid"), f.text("process"), f.text("log"),
                    f.number("lines_before"), f.number("stdout_from"), f.number("stderr_from"));
            case "attempt_abandoned" -> new AttemptAbandoned(ts, n, f.text("reason"));
            case "attempt_stopping" -> new AttemptStopping(ts, n, f.text("reason"), f.text("failure"));
            case "attempt_finished" -> new AttemptFinished(ts, n, f.optInteger("exit_code"), f.text("signal"), f.text("state"),
                    f.number("duration_ms"), f.number("lines"), f.number("bytes"), f.number("dropped_bytes"),
                    f.number("dropped_lines"), f.bool("timed_out", false), f.bool("stalled", false), f.text("stopped_for"),
                    f.map("last_progress"), f.text("oom_evidence"));
            case "requeued" -> new Requeued(ts, n, f.text("state"));
            case "progress" -> new Progress(ts, n, f.body());
            case "failure" -> new Failure(ts, n, f.text("failure"), f.bool("root", false), f.text("fingerprint"),
                    f.integer("matches", 0), f.objects("evidence").stream()
                            .map(e -> new Evidence(e.number("line"), e.text("stream"), e.text("text"))).toList());
            case "decision" -> new Decision(ts, n, f.text("failure"), f.text("fix"), f.map("params"), f.optInteger("step"),
                    f.text("reason"), f.objects("skipped").stream()
                            .map(s -> new Skipped(s.integer("step", 0), s.text("fix"), s.text("reason"))).toList());
            case "fix_planned" -> new FixPlanned(ts, n, f.text("fix"), f.strings("changes"), f.optStrings("argv"));
            case "fix_action" -> new FixAction(ts, n, f.text("fix"), f.text("action"), f.strings("argv"), f.bool("ok", false),
                    f.text("result"), f.strings("output_tail"), f.text("log"));
            case "fix_applied" -> new FixApplied(ts, n, f.text("fix"), f.strings("changes"), f.optStrings("argv"),
                    f.strings("env_changed"), f.textMap("env_set"), f.strings("env_unset"), f.textMap("backend_settings"),
                    f.optBool("changed"), f.bool("spends_attempt", true));
            case "backoff" -> new Backoff(ts, n, f.number("wait_ms"));
            case "escalated" -> new Escalated(ts, n, f.text("failure"), f.text("reason"), f.textMap("notified"));
            case "run_finished" -> new RunFinished(ts, n, RunStatus.of(f.text("status")), f.integer("exit_code", 0),
                    f.integer("attempts", 0), f.number("duration_ms"));
            case "flags_discovered" -> new FlagsDiscovered(ts, n, f.text("script"), f.text("method"), f.integer("flags", 0),
                    f.text("why_not"));
            case "warning" -> new Warning(ts, n, f.text("message"));
            case "reloaded" -> new Reloaded(ts, n, f.text("message"));
            case "leftover_stopped" -> new LeftoverStopped(ts, n, f.text("message"));
            case "link_refused" -> new LinkRefused(ts, n, f.text("path"), f.text("message"));
            case "rules_failed" -> new RulesFailed(ts, n, f.text("message"));
            case "log_write_failed" -> new LogWriteFailed(ts, n, f.text("log"), f.text("error"));
            default -> kind != null && kind.endsWith("_skipped") && kind.length() > "_skipped".length()
                    ? new LayerSkipped(ts, n, kind.substring(0, kind.length() - "_skipped".length()), f.text("reason"))
                    : new Unknown(ts, n, kind, f.body());
        };
    }

    /**
     * The fields of {@code e} as the journal writes them, in their order, without the head
     * ({@code ts}, {@code event}, {@code attempt}). A field that only some records carry is left out
     * when the event has none: a run_started from before the format, a decision no rule made, an
     * attempt the system did not see killed for memory.
     */
    public static Map<String, Object> fields(Event e) {
        Fields.Out f = new Fields.Out();
        if (e instanceof RunStarted s) {
            f.optional("format", s.format()).put("run_id", s.runId()).put("argv", s.argv()).put("cwd", s.cwd())
                    .put("medic_version", s.medicVersion()).put("backend", s.backend()).put("rules", s.rules())
                    .put("catalog", s.catalog()).put("run_dir", s.runDir()).put("max_attempts", s.maxAttempts()).put("dry_run", s.dryRun());
        } else if (e instanceof RunResumed r) {
            f.put("run_id", r.runId()).put("argv", r.argv()).put("env_changed", r.envChanged()).put("medic_version", r.medicVersion())
                    .put("backend", r.backend()).put("previous_status", r.previousStatus()).put("took_over_lock_from", r.tookOverLockFrom())
                    .put("max_attempts", r.maxAttempts()).put("attempts_spent", r.attemptsSpent());
        } else if (e instanceof AttemptStarted a) {
            f.put("argv", a.argv()).put("env_changed", a.envChanged()).put("pid", a.pid()).put("process", a.process()).put("log", a.log())
                    .putAll(a.handle());
        } else if (e instanceof AttemptAdopted a) {
            f.put("pid", a.pid()).put("process", a.process()).put("log", a.log()).put("lines_before", a.linesBefore())
                    .put("stdout_from", a.stdoutFrom()).put("stderr_from", a.stderrFrom());
        } else if (e instanceof AttemptAbandoned a) {
            f.put("reason", a.reason());
        } else if (e instanceof AttemptStopping s) {
            f.put("reason", s.reason()).optional("failure", s.failure());
        } else if (e instanceof AttemptFinished a) {
            f.put("exit_code", a.exitCode()).put("signal", a.signal()).put("state", a.state()).put("duration_ms", a.durationMs())
                    .put("lines", a.lines()).put("bytes", a.bytes()).put("dropped_bytes", a.droppedBytes())
                    .put("dropped_lines", a.droppedLines()).put("timed_out", a.timedOut()).put("stalled", a.stalled())
                    .put("stopped_for", a.stoppedFor()).put("last_progress", a.lastProgress()).optional("oom_evidence", a.oomEvidence());
        } else if (e instanceof Requeued r) {
            f.put("state", r.state());
        } else if (e instanceof Progress p) {
            f.putAll(p.fields());
        } else if (e instanceof Failure x) {
            f.put("failure", x.failure()).put("root", x.root()).put("fingerprint", x.fingerprint()).put("matches", x.matches())
                    .put("evidence", x.evidence().stream().map(v -> new Fields.Out().put("line", v.line()).put("stream", v.stream())
                            .put("text", v.text()).map()).toList());
        } else if (e instanceof Decision d) {
            f.put("failure", d.failure()).put("fix", d.fix()).put("params", d.params()).optional("step", d.step())
                    .put("reason", d.reason()).put("skipped", d.skipped().stream().map(k -> new Fields.Out().put("step", k.step())
                            .put("fix", k.fix()).put("reason", k.reason()).map()).toList());
        } else if (e instanceof FixPlanned p) {
            f.put("fix", p.fix()).put("changes", p.changes()).put("argv", p.argv());
        } else if (e instanceof FixAction a) {
            f.put("fix", a.fix()).put("action", a.action()).put("argv", a.argv()).put("ok", a.ok()).put("result", a.result())
                    .put("output_tail", a.outputTail()).put("log", a.log());
        } else if (e instanceof FixApplied a) {
            f.put("fix", a.fix()).put("changes", a.changes()).put("argv", a.argv()).put("env_changed", a.envChanged())
                    .put("env_set", a.envSet()).put("env_unset", a.envUnset()).put("backend_settings", a.backendSettings())
                    .put("changed", a.changed()).put("spends_attempt", a.spendsAttempt());
        } else if (e instanceof LayerSkipped l) {
            f.put("reason", l.reason());
        } else if (e instanceof Backoff b) {
            f.put("wait_ms", b.waitMs());
        } else if (e instanceof Escalated x) {
            f.put("failure", x.failure()).put("reason", x.reason()).put("notified", x.notified());
        } else if (e instanceof RunFinished r) {
            f.put("status", r.status().word()).put("exit_code", r.exitCode()).put("attempts", r.attempts())
                    .put("duration_ms", r.durationMs());
        } else if (e instanceof FlagsDiscovered d) {
            f.put("script", d.script()).put("method", d.method()).put("flags", d.flags()).optional("why_not", d.whyNot());
        } else if (e instanceof Warning w) {
            f.put("message", w.message());
        } else if (e instanceof Reloaded r) {
            f.put("message", r.message());
        } else if (e instanceof LeftoverStopped l) {
            f.put("message", l.message());
        } else if (e instanceof LinkRefused l) {
            f.put("path", l.path()).put("message", l.message());
        } else if (e instanceof RulesFailed r) {
            f.put("message", r.message());
        } else if (e instanceof LogWriteFailed l) {
            f.put("log", l.log()).put("error", l.error());
        } else if (e instanceof Unknown u) {
            f.putAll(u.fields());
        }
        return f.map();
    }

    /** The {@code event} word of {@code e}. */
    static String kind(Event e) {
        String name = e.getClass().getSimpleName();
        StringBuilder b = new StringBuilder();
        for (char c : name.toCharArray()) {
            if (Character.isUpperCase(c) && b.length() > 0) {
                b.append('_');
            }
            b.append(Character.toLowerCase(c));
        }
        return b.toString();
    }
}
