package dev.medic.report;

import java.util.ArrayList;
import java.util.List;

import static dev.medic.report.Html.text;

/** One sweep's part of the report: its trial table, and for each numeric parameter a chart of it against the trials' last loss. */
final class SweepSection {
    private SweepSection() {
    }

    static void append(StringBuilder b, SweepReport s) {
        b.append("<h2 id=\"sweep-").append(text(s.id())).append("\">Sweep ").append(text(s.id())).append("</h2>\n");
        HtmlReport.table(b, "trials", List.of("trial", "parameters", "run", "status", "attempts", "root failure", "fixes", "last loss"),
                s.trials(), t -> "", t -> {
                    List<String> params = new ArrayList<>();
                    t.params().forEach((k, v) -> params.add(text(k) + "=" + text(v)));
                    return List.of(Integer.toString(t.trial()), String.join(" ", params), t.runId() == null ? "-" : text(t.runId()),
                            text(t.status()), Integer.toString(t.attempts()), t.rootFailure() == null ? "-" : text(t.rootFailure()),
                            t.fixes().isEmpty() ? "-" : text(String.join(", ", t.fixes())), HtmlReport.orDash(t.lastLoss()));
                });
        for (String name : s.numericParams()) {
            List<double[]> points = new ArrayList<>();
            for (SweepReport.Trial t : s.trials()) {
                if (t.lastLoss() != null) {
                    points.add(new double[] {SweepReport.number(t.params().get(name)), t.lastLoss()});
                }
            }
            if (!points.isEmpty()) {
                b.append("<p>").append(text(name)).append(" against the last loss</p>")
                        .append(Svg.dots(name + " against last loss", name, points)).append('\n');
            }
        }
    }
}
