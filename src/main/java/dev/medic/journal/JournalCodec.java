package dev.medic.journal;

import dev.medic.journal.Event.*;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The journal's records as events: one JSON object a line ({@link JsonLine}), {@code ts},
 * {@code event} and {@code attempt} first. The only place that knows the event words and their
 * fields; the rest of medic sees {@link Event}s.
 */
public final class JournalCodec {
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
                    f.text("medic_version"), f.text("backend"), f.text("previous_status"), f.integer("attempts_spent", 0),
                    f.integer("max_attempts", 0));
            case "attempt_started" -> new AttemptStarted(ts, n, f.strings("argv"), f.strings("env_changed"), f.optNumber("pid"),
                    f.text("process"), f.text("log"), f.scalars());
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
                    f.text("result"), f.text("output_tail"), f.text("log"));
            case "fix_applied" -> new FixApplied(ts, n, f.text("fix"), f.strings("changes"), f.optStrings("argv"),
                    f.strings("env_changed"), f.textMap("env_set"), f.strings("env_unset"), f.textMap("backend_settings"),
                    f.optBool("changed"), f.bool("spends_attempt", true));
            case "resume_skipped" -> new ResumeSkipped(ts, n, f.text("reason"));
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
            default -> new Unknown(ts, n, kind, f.body());
        };
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
