package dev.medic.report;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static dev.medic.report.Html.text;

/** One run's part of the report: its attempts on a timeline, the fixes with their changes, the evidence, and its loss and learning-rate curves. */
final class RunSection {
    private RunSection() {
    }

    static void append(StringBuilder b, RunReport r) {
        b.append("<section class=\"run\" id=\"run-").append(text(r.id())).append("\"><h3>").append(text(r.id()));
        if (r.sweep() != null) {
            b.append(" <span class=\"muted\">(sweep ").append(text(r.sweep())).append(")</span>");
        }
        b.append(" — ").append(text(r.status().word())).append(", ").append(r.outcome().words()).append("</h3>\n");
        b.append("<p>started ").append(r.started() == null ? "?" : text(r.started().toString())).append("; command <code>")
                .append(text(String.join(" ", r.command()))).append("</code></p>\n");
        if (!r.attempts().isEmpty()) {
            b.append("<p>attempts on a time line, in seconds after the first started</p>").append(Svg.spans("attempts of " + r.id(), timeline(r)))
                    .append('\n');
        }
        if (!r.fixes().isEmpty()) {
            b.append("<table class=\"fixes\"><tr><th>after attempt</th><th>failure</th><th>rung</th><th>fix</th><th>changes</th></tr>\n");
            for (FixReport f : r.fixes()) {
                b.append("<tr><td class=\"n\">").append(f.attempt()).append("</td><td>").append(text(f.failure())).append("</td><td class=\"n\">")
                        .append(f.step() < 0 ? "?" : f.step()).append("</td><td>").append(text(f.fix())).append("</td><td>");
                f.changes().forEach(c -> b.append(text(c)).append("<br>"));
                b.append("</td></tr>\n");
            }
            b.append("</table>\n");
        }
        for (AttemptReport a : r.attempts()) {
            if (!a.evidence().isEmpty()) {
                b.append("<p>attempt ").append(a.attempt()).append(", ").append(text(a.failure())).append(":</p><pre class=\"evidence\">");
                a.evidence().forEach(line -> b.append(text(line)).append('\n'));
                b.append("</pre>\n");
            }
        }
        curve(b, r, "loss", Point::loss);
        curve(b, r, "learning rate", Point::learningRate);
        b.append("</section>\n");
    }

    /**
     * The attempts on one time line: each from its start (seconds after the first attempt's) for as
     * long as it ran, green when it exited 0, red when it ended in a failure, grey otherwise; an
     * attempt with no start time follows the one before.
     */
    private static List<Svg.Span> timeline(RunReport r) {
        List<Svg.Span> spans = new ArrayList<>();
        Instant origin = r.attempts().stream().map(AttemptReport::started).filter(t -> t != null).findFirst().orElse(null);
        double at = 0;
        for (AttemptReport a : r.attempts()) {
            double from = a.started() != null && origin != null ? Duration.between(origin, a.started()).toMillis() / 1000.0 : at;
            double seconds = a.durationMs() / 1000.0;
            boolean ok = a.finished() && a.exitCode() != null && a.exitCode() == 0 && a.failure() == null;
            String end = !a.finished() ? "running or killed" : a.failure() != null ? a.failure()
                    : "exit " + (a.exitCode() == null ? "?" : a.exitCode());
            spans.add(new Svg.Span("attempt " + a.attempt(), from, from + seconds, ok ? "ok" : a.failure() != null ? "failed" : "other",
                    end + ", " + Html.number(seconds) + " s"));
            at = from + seconds;
        }
        return spans;
    }

    /** The chart of one progress value by step, one curve an attempt; nothing when no progress record had it. */
    private static void curve(StringBuilder b, RunReport r, String name, Function<Point, Double> value) {
        Map<Integer, List<double[]>> byAttempt = new LinkedHashMap<>();
        for (Point p : r.progress()) {
            Double v = value.apply(p);
            if (v != null) {
                byAttempt.computeIfAbsent(p.attempt(), n -> new ArrayList<>()).add(new double[] {p.step(), v});
            }
        }
        if (byAttempt.isEmpty()) {
            return;
        }
        List<Svg.Series> series = new ArrayList<>();
        byAttempt.forEach((n, points) -> series.add(new Svg.Series(name + ", attempt " + n, points)));
        b.append("<p>").append(name).append(" by step, one curve an attempt (a red cross: NaN or infinite)</p>")
                .append(Svg.lines(name + " of " + r.id(), "step", series)).append('\n');
    }
}
