package dev.medic.report;

import java.time.LocalDate;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static dev.medic.report.Html.number;
import static dev.medic.report.Html.text;

/**
 * The report as one self-contained HTML page: inline CSS, charts as inline SVG, no scripts and
 * nothing fetched, so it opens from a file and prints. Every text taken from a journal is escaped.
 */
public final class HtmlReport {
    private static final String CSS = """
            body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px auto;max-width:980px;color:#222;padding:0 12px}
            h1{font-size:22px}h2{font-size:18px;border-bottom:1px solid #ccc;padding-bottom:4px;margin-top:32px}h3{font-size:15px}
            table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ddd;padding:3px 8px;text-align:left;vertical-align:top}
            th{background:#f4f4f4}td.n{text-align:right}tr.never td{background:#fde2e2;font-weight:600}
            pre{background:#f7f7f7;padding:6px;white-space:pre-wrap;word-break:break-all;margin:4px 0}
            code{font-size:12px}.chart{width:100%;max-width:640px;height:auto;display:block;margin:8px 0}
            .chart text{font-size:11px;fill:#444}.axis{stroke:#888;fill:none}.bar{fill:#4e79a7}
            .curve{fill:none;stroke-width:2}.c0{stroke:#4e79a7}.c1{stroke:#f28e2b}.c2{stroke:#59a14f}.c3{stroke:#b07aa1}.c4{stroke:#76b7b2}.c5{stroke:#edc948}
            .nan{stroke:#d62728;stroke-width:2;fill:none}.pt{fill:#fff;stroke-width:1.5}.dot{fill:#4e79a7}
            .succeeded_first_time{fill:#59a14f}.recovered{fill:#8cd17d}.escalated{fill:#f28e2b}.failed{fill:#e15759}.running{fill:#bab0ac}.ok{fill:#59a14f}.other{fill:#bab0ac}
            .key span{display:inline-block;width:10px;height:10px;margin:0 4px 0 12px}
            .run{break-inside:avoid;page-break-inside:avoid}.muted{color:#777}
            @media print{body{margin:0;max-width:none;-webkit-print-color-adjust:exact;print-color-adjust:exact}h2{break-after:avoid}}
            """;
    private static final Map<String, String> KEY_COLOURS = Map.of("succeeded_first_time", "#59a14f", "recovered", "#8cd17d",
            "escalated", "#f28e2b", "failed", "#e15759", "running", "#bab0ac");

    private HtmlReport() {
    }

    public static String render(ReportData data) {
        StringBuilder b = new StringBuilder(16_384);
        b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>medic report</title>")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><style>").append(CSS).append("</style></head><body>\n");
        b.append("<h1>medic report</h1><p class=\"muted\">").append(data.runs().size()).append(" run(s), ").append(data.sweeps().size())
                .append(" sweep(s); made ").append(text(data.generated().toString()));
        if (data.since() != null) {
            b.append("; runs started since ").append(text(data.since().toString()));
        }
        b.append("</p>\n");
        overview(b, data);
        fixTable(b, data.fixEffects());
        for (SweepReport s : data.sweeps()) {
            SweepSection.append(b, s);
        }
        b.append("<h2 id=\"runs\">Runs</h2>\n");
        if (data.runs().isEmpty()) {
            b.append("<p>No runs.</p>\n");
        }
        for (RunReport r : data.runs()) {
            RunSection.append(b, r);
        }
        return b.append("</body></html>\n").toString();
    }

    private static void overview(StringBuilder b, ReportData data) {
        b.append("<h2 id=\"overview\">Overview</h2>\n<table class=\"outcomes\"><tr><th>outcome</th><th>runs</th><th>attempts</th></tr>");
        Map<Outcome, Integer> attempts = data.attemptsByOutcome();
        data.runsByOutcome().forEach((o, n) -> b.append("<tr><td>").append(o.words()).append("</td><td class=\"n\">").append(n)
                .append("</td><td class=\"n\">").append(attempts.get(o)).append("</td></tr>"));
        b.append("</table>\n");
        byDay(b, "Runs", "Runs by the day they started (UTC) and outcome", data.runsByDay());
        byDay(b, "Attempts", "Attempts by the day their run started (UTC) and its outcome", data.attemptsByDay());
        Map<String, Double> hours = data.hoursByFailure();
        b.append("<h3>Hours spent per failure (attempt wall time that ended in it)</h3>\n");
        if (hours.isEmpty()) {
            b.append("<p>No attempt ended in a failure.</p>\n");
        } else {
            b.append(Svg.bars("hours per failure", hours, "h")).append('\n');
        }
    }

    /** A stacked column a day, split by outcome, with its key; nothing when no run has a start time. */
    private static void byDay(StringBuilder b, String what, String heading, Map<LocalDate, Map<Outcome, Integer>> byDay) {
        if (byDay.isEmpty()) {
            return;
        }
        Map<String, int[]> days = new LinkedHashMap<>();
        byDay.forEach((day, counts) -> days.put(day.toString(), Arrays.stream(Outcome.values()).mapToInt(o -> counts.getOrDefault(o, 0)).toArray()));
        b.append("<h3>").append(heading).append("</h3><p class=\"key\">");
        for (Outcome o : Outcome.values()) {
            b.append("<span style=\"background:").append(KEY_COLOURS.get(o.id())).append("\"></span>").append(o.words());
        }
        b.append("</p>").append(Svg.stacked(what.toLowerCase(java.util.Locale.ROOT) + " by day and outcome", days,
                Arrays.stream(Outcome.values()).map(Outcome::id).toList())).append('\n');
    }

    private static void fixTable(StringBuilder b, List<FixEffect> rows) {
        b.append("<h2 id=\"fixes\">Fix effectiveness</h2>\n<p>For each failure and ladder rung: how often its fix was tried, how often the ")
                .append("next attempt got past that failure, and how often the run then succeeded. Rungs that were tried and never got ")
                .append("past their failure are shaded and bold.</p>\n");
        if (rows.isEmpty()) {
            b.append("<p>No fixes were applied.</p>\n");
            return;
        }
        table(b, "fix-effectiveness", List.of("failure", "rung", "fix", "tried", "next attempt got past", "run succeeded"), rows,
                f -> f.neverHelps() ? "never" : "", f -> List.of(text(f.failure()), f.step() < 0 ? "?" : Integer.toString(f.step()),
                        text(f.fix()), Integer.toString(f.tried()), share(f.gotPast(), f.tried()), share(f.succeeded(), f.tried())));
    }

    private static String share(int n, int of) {
        return n + " (" + Math.round(100.0 * n / of) + "%)";
    }

    /**
     * A table: the headings, then one row an item with the cells {@code cells} gives (already
     * escaped), each row of the CSS class {@code rowClass} gives ("" for none).
     */
    static <T> void table(StringBuilder b, String cssClass, List<String> headings, List<T> items, Function<T, String> rowClass,
                          Function<T, List<String>> cells) {
        b.append("<table class=\"").append(cssClass).append("\"><tr>");
        headings.forEach(h -> b.append("<th>").append(text(h)).append("</th>"));
        b.append("</tr>\n");
        for (T item : items) {
            String c = rowClass.apply(item);
            b.append(c.isEmpty() ? "<tr>" : "<tr class=\"" + c + "\">");
            for (String cell : cells.apply(item)) {
                b.append(cell.matches("[0-9?][0-9 (%).]*") ? "<td class=\"n\">" : "<td>").append(cell).append("</td>");
            }
            b.append("</tr>\n");
        }
        b.append("</table>\n");
    }

    /** A value of a chart or cell, "-" when there is none. */
    static String orDash(Double v) {
        return v == null ? "-" : number(v);
    }
}
