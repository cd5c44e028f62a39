package dev.medic.cli;

import dev.medic.logs.Ansi;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/** Turns journal records into one readable line each on the terminal. */
final class ConsoleReporter {
    private final PrintStream out;

    ConsoleReporter(PrintStream out) {
        this.out = out;
    }

    void onRecord(Map<String, Object> r) {
        String line = format(r);
        if (line != null) {
            // log text in a record (evidence, a reason) never steers the terminal, whoever wrote the journal
            out.println("medic: " + Ansi.strip(line));
            out.flush();
        }
    }

    @SuppressWarnings("unchecked")
    static String format(Map<String, Object> r) {
        Object attempt = r.get("attempt");
        return switch (String.valueOf(r.get("event"))) {
            case "run_started" -> "run " + r.get("run_id") + " started (" + r.get("run_dir") + ")\n"
                    + "medic: rules: " + r.get("rules") + "\n"
                    + "medic: catalog: " + r.get("catalog");
            case "attempt_started" -> "attempt " + attempt + " started (" + r.get("process") + "): "
                    + String.join(" ", (List<String>) r.get("argv"));
            case "run_resumed" -> "run " + r.get("run_id") + " resumed after attempt " + attempt + " ("
                    + r.get("attempts_spent") + " of " + r.get("max_attempts") + " attempts spent)";
            case "attempt_abandoned" -> "attempt " + attempt + " abandoned: " + r.get("reason");
            case "attempt_adopted" -> "attempt " + attempt + " taken up again (" + r.get("process") + "): its output is followed from"
                    + " where the killed supervisor's log ended (line " + (((Number) r.get("lines_before")).longValue() + 1) + ")";
            case "leftover_stopped" -> String.valueOf(r.get("message"));
            case "attempt_stopping" -> "attempt " + attempt + " stopping: " + r.get("reason");
            case "attempt_finished" -> "attempt " + attempt + " finished: exit code " + r.get("exit_code")
                    + (r.get("signal") != null ? " (signal " + r.get("signal") + ")" : "")
                    + " after " + r.get("duration_ms") + " ms" + dropped(r);
            case "failure" -> {
                List<Map<String, Object>> ev = (List<Map<String, Object>>) r.get("evidence");
                String first = ev == null || ev.isEmpty() ? "" : ": line " + ev.get(0).get("line") + ": " + ev.get(0).get("text");
                yield "attempt " + attempt + " failure " + r.get("failure") + (Boolean.TRUE.equals(r.get("root")) ? " (root cause)" : "") + first;
            }
            case "decision" -> "decision: " + r.get("fix") + " (" + r.get("reason") + ")" + skipped(r.get("skipped"));
            case "fix_applied" -> "fix " + r.get("fix") + ": " + String.join("; ", (List<String>) r.get("changes"));
            case "fix_planned" -> "dry run: would apply " + r.get("fix") + planLines((List<String>) r.get("changes"), (List<String>) r.get("argv"));
            case "flags_discovered" -> r.get("method") == null
                    ? "flags not discovered" + (r.get("script") == null ? "" : " for " + r.get("script")) + ": " + r.get("why_not")
                    : "learnt " + r.get("flags") + " flag(s) of " + r.get("script") + " from its "
                    + ("help".equals(r.get("method")) ? "--help" : "source") + (r.get("why_not") == null ? "" : " (" + r.get("why_not") + ")");
            case "backoff" -> "waiting " + r.get("wait_ms") + " ms before the next attempt";
            case "warning" -> "warning: " + r.get("message");
            case "reloaded" -> String.valueOf(r.get("message"));
            case "log_write_failed" -> "cannot write " + r.get("log") + ": " + r.get("error");
            case "escalated" -> "escalated: " + r.get("reason") + notified(r.get("notified"));
            case "run_finished" -> "run finished: " + r.get("status") + " after " + r.get("attempts") + " attempt(s)";
            default -> null;
        };
    }

    /** What --max-log-size left out of the attempt log; said every time, never silently. */
    private static String dropped(Map<String, Object> r) {
        if (!(r.get("dropped_bytes") instanceof Number b) || b.longValue() == 0) {
            return "";
        }
        return "; its log dropped " + b + " bytes (" + r.get("dropped_lines") + " lines) in the middle (--max-log-size)";
    }

    /** The change lines one a line, as {@code medic replay} prints them, then the command they make. */
    static String planLines(List<String> changes, List<String> argv) {
        StringBuilder b = new StringBuilder();
        for (String c : changes == null ? List.<String>of() : changes) {
            b.append("\nmedic:   change: ").append(c);
        }
        if (argv != null) {
            b.append("\nmedic:   next command: ").append(String.join(" ", argv));
        }
        return b.toString();
    }

    private static String notified(Object n) {
        if (!(n instanceof Map<?, ?> m) || m.isEmpty()) {
            return "";
        }
        StringBuilder b = new StringBuilder(" (notified:");
        m.forEach((k, v) -> b.append(' ').append(k).append(": ").append(v).append(';'));
        b.setCharAt(b.length() - 1, ')');
        return b.toString();
    }

    @SuppressWarnings("unchecked")
    private static String skipped(Object s) {
        if (!(s instanceof List<?> list) || list.isEmpty()) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        for (Object o : list) {
            Map<String, Object> m = (Map<String, Object>) o;
            b.append("\nmedic:   skipped ").append(m.get("fix")).append(": ").append(m.get("reason"));
        }
        return b.toString();
    }
}
