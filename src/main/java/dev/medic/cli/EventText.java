package dev.medic.cli;

import dev.medic.journal.Event.*;
import dev.medic.journal.Event;

import java.util.List;
import java.util.Map;

/**
 * How journal events read on the terminal: {@link #live} as a run goes (the console), {@link #past}
 * as {@code medic history} tells a run afterwards, with the time of day and fewer details. One
 * line an event (a few for a run's start and a plan); null for events that are not shown.
 */
final class EventText {
    private EventText() {
    }

    static String live(Event e) {
        int n = e.attempt();
        if (e instanceof RunStarted s) {
            return "run " + s.runId() + " started (" + s.runDir() + ")\n"
                    + "medic: rules: " + s.rules() + "\n"
                    + "medic: catalog: " + s.catalog();
        } else if (e instanceof AttemptStarted a) {
            return "attempt " + n + " started (" + a.process() + "): " + String.join(" ", a.argv());
        } else if (e instanceof RunResumed r) {
            return "run " + r.runId() + " resumed after attempt " + n + " (" + r.attemptsSpent() + " of " + r.maxAttempts()
                    + " attempts spent)";
        } else if (e instanceof AttemptAbandoned a) {
            return "attempt " + n + " abandoned: " + a.reason();
        } else if (e instanceof AttemptAdopted a) {
            return "attempt " + n + " taken up again (" + a.process() + "): its output is followed from"
                    + " where the killed supervisor's log ended (line " + (a.linesBefore() + 1) + ")";
        } else if (e instanceof LeftoverStopped l) {
            return l.message();
        } else if (e instanceof AttemptStopping s) {
            return "attempt " + n + " stopping: " + s.reason();
        } else if (e instanceof AttemptFinished f) {
            return "attempt " + n + " finished: exit code " + f.exitCode() + (f.signal() != null ? " (signal " + f.signal() + ")" : "")
                    + " after " + f.durationMs() + " ms" + (f.droppedBytes() == 0 ? ""
                    : "; its log dropped " + f.droppedBytes() + " bytes (" + f.droppedLines() + " lines) in the middle (--max-log-size)");
        } else if (e instanceof Failure f) {
            return "attempt " + n + " failure " + f.failure() + (f.root() ? " (root cause)" : "") + firstEvidence(f);
        } else if (e instanceof Decision d) {
            StringBuilder b = new StringBuilder("decision: " + d.fix() + " (" + d.reason() + ")");
            d.skipped().forEach(s -> b.append("\nmedic:   skipped ").append(s.fix()).append(": ").append(s.reason()));
            return b.toString();
        } else if (e instanceof Event.FixApplied f) {
            return "fix " + f.fix() + ": " + String.join("; ", f.changes());
        } else if (e instanceof FixPlanned p) {
            return "dry run: would apply " + p.fix() + planLines(p.changes(), p.argv());
        } else if (e instanceof FlagsDiscovered f) {
            return f.method() == null ? "flags not discovered" + (f.script() == null ? "" : " for " + f.script()) + ": " + f.whyNot()
                    : "learnt " + f.flags() + " flag(s) of " + f.script() + " from its "
                    + ("help".equals(f.method()) ? "--help" : "source") + (f.whyNot() == null ? "" : " (" + f.whyNot() + ")");
        } else if (e instanceof Backoff b) {
            return "waiting " + b.waitMs() + " ms before the next attempt";
        } else if (e instanceof Warning w) {
            return "warning: " + w.message();
        } else if (e instanceof Reloaded r) {
            return r.message();
        } else if (e instanceof LogWriteFailed l) {
            return "cannot write " + l.log() + ": " + l.error();
        } else if (e instanceof Escalated x) {
            return "escalated: " + x.reason() + notified(x.notified());
        } else if (e instanceof RunFinished f) {
            return "run finished: " + f.status() + " after " + f.attempts() + " attempt(s)";
        }
        return null;
    }

    static String past(Event e) {
        int n = e.attempt();
        String what = null;
        if (e instanceof RunStarted s) {
            what = "started: " + String.join(" ", s.argv());
        } else if (e instanceof RunResumed r) {
            what = "resumed after attempt " + n + " (was " + (r.previousStatus() == null ? "killed" : r.previousStatus()) + "): "
                    + String.join(" ", r.argv());
        } else if (e instanceof AttemptAbandoned a) {
            what = "attempt " + n + " abandoned: " + a.reason();
        } else if (e instanceof AttemptAdopted a) {
            what = "attempt " + n + " taken up again (" + a.process() + "), its log from line " + (a.linesBefore() + 1);
        } else if (e instanceof AttemptStarted a) {
            what = "attempt " + n + ": " + String.join(" ", a.argv());
        } else if (e instanceof AttemptFinished f) {
            what = "attempt " + n + " ended: exit code " + f.exitCode() + (f.signal() != null ? ", signal " + f.signal() : "")
                    + ", " + f.durationMs() + " ms, " + f.lines() + " lines"
                    + (f.droppedBytes() > 0 ? " (the log dropped " + f.droppedBytes() + " bytes, " + f.droppedLines()
                    + " lines, by --max-log-size)" : "")
                    + (f.lastProgress().containsKey("step") ? ", last step " + f.lastProgress().get("step") : "");
        } else if (e instanceof Failure f) {
            what = "  failure " + f.failure() + (f.root() ? " (root)" : "") + firstEvidence(f);
        } else if (e instanceof Decision d) {
            what = "  decision: " + d.fix() + " (" + d.reason() + ")";
        } else if (e instanceof Event.FixApplied f) {
            what = "  fix " + f.fix() + ": " + String.join("; ", f.changes());
        } else if (e instanceof Warning w) {
            what = "  warning: " + w.message();
        } else if (e instanceof Escalated x) {
            what = "escalated: " + x.reason();
        } else if (e instanceof RunFinished f) {
            what = "finished: " + f.status() + " after " + f.attempts() + " attempt(s)";
        }
        return what == null ? null : timeOfDay(e) + "  " + what;
    }

    /** The change lines one a line, as {@code medic replay} prints them, then the command they make. */
    private static String planLines(List<String> changes, List<String> argv) {
        StringBuilder b = new StringBuilder();
        for (String c : changes) {
            b.append("\nmedic:   change: ").append(c);
        }
        if (argv != null) {
            b.append("\nmedic:   next command: ").append(String.join(" ", argv));
        }
        return b.toString();
    }

    private static String firstEvidence(Failure f) {
        if (f.evidence().isEmpty()) {
            return "";
        }
        Evidence e = f.evidence().get(0);
        return ": line " + e.line() + ": " + e.text();
    }

    private static String notified(Map<String, String> m) {
        if (m.isEmpty()) {
            return "";
        }
        StringBuilder b = new StringBuilder(" (notified:");
        m.forEach((k, v) -> b.append(' ').append(k).append(": ").append(v).append(';'));
        b.setCharAt(b.length() - 1, ')');
        return b.toString();
    }

    private static String timeOfDay(Event e) {
        String ts = e.ts() == null ? "" : e.ts().toString();
        return ts.length() >= 19 ? ts.substring(11, 19) : ts;
    }
}
