package dev.medic.report;

import java.util.List;
import java.util.Map;

import static dev.medic.report.Html.coord;
import static dev.medic.report.Html.number;
import static dev.medic.report.Html.text;

/** The report's charts, drawn as inline SVG (no scripts, nothing fetched): lines, bars and dots. */
final class Svg {
    static final int WIDTH = 640;
    static final int HEIGHT = 220;
    private static final int LEFT = 60;
    private static final int RIGHT = 16;
    private static final int TOP = 12;
    private static final int BOTTOM = 30;

    private Svg() {
    }

    /** One curve of a line chart: its name, and its points (x, y); a y that is NaN or infinite breaks the line and is marked. */
    record Series(String name, List<double[]> points) {
    }

    /** A value range, widened when it is a single value. */
    private record Range(double lo, double hi) {
        static Range of(double lo, double hi) {
            if (!(lo <= hi)) {
                return new Range(0, 1);
            }
            double pad = lo == hi ? Math.max(Math.abs(lo) * 0.1, 1) : 0;
            return new Range(lo - pad, hi + pad);
        }

        double x(double v) {
            return LEFT + (v - lo) / (hi - lo) * (WIDTH - LEFT - RIGHT);
        }

        double y(double v) {
            return HEIGHT - BOTTOM - (v - lo) / (hi - lo) * (HEIGHT - TOP - BOTTOM);
        }
    }

    /**
     * A line chart, one {@code <path class="curve">} a series, x labelled {@code xLabel}; a point
     * whose y is not finite ends its line there and is shown as a red cross at the top.
     */
    static String lines(String label, String xLabel, List<Series> series) {
        double xlo = Double.POSITIVE_INFINITY, xhi = Double.NEGATIVE_INFINITY, ylo = Double.POSITIVE_INFINITY, yhi = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (double[] p : s.points()) {
                xlo = Math.min(xlo, p[0]);
                xhi = Math.max(xhi, p[0]);
                if (Double.isFinite(p[1])) {
                    ylo = Math.min(ylo, p[1]);
                    yhi = Math.max(yhi, p[1]);
                }
            }
        }
        Range xs = Range.of(xlo, xhi);
        Range ys = Range.of(ylo, yhi);
        StringBuilder b = open(label);
        axes(b, xs, ys, xLabel);
        int i = 0;
        for (Series s : series) {
            StringBuilder d = new StringBuilder();
            StringBuilder marks = new StringBuilder();
            boolean pen = false;
            for (double[] p : s.points()) {
                if (!Double.isFinite(p[1])) {
                    pen = false;
                    double x = xs.x(p[0]);
                    marks.append("<path class=\"nan\" d=\"M").append(coord(x - 4)).append(' ').append(TOP + 2).append(" l8 8 m0 -8 l-8 8\">")
                            .append("<title>").append(text(s.name())).append(": ").append(number(p[1])).append(" at ")
                            .append(number(p[0])).append("</title></path>");
                    continue;
                }
                d.append(pen ? " L" : (d.length() == 0 ? "M" : " M")).append(coord(xs.x(p[0]))).append(' ').append(coord(ys.y(p[1])));
                pen = true;
                marks.append("<circle class=\"pt c").append(i % 6).append("\" cx=\"").append(coord(xs.x(p[0]))).append("\" cy=\"")
                        .append(coord(ys.y(p[1]))).append("\" r=\"2.5\"/>");
            }
            b.append("<path class=\"curve c").append(i % 6).append("\" data-series=\"").append(text(s.name())).append("\" d=\"")
                    .append(d.length() == 0 ? "M0 0" : d).append("\"><title>").append(text(s.name())).append("</title></path>")
                    .append(marks);
            i++;
        }
        return close(b);
    }

    /** Horizontal bars, one a key, longest first as given; each labelled with its value and {@code unit}. */
    static String bars(String label, Map<String, Double> values, String unit) {
        List<Span> spans = values.entrySet().stream()
                .map(e -> new Span(e.getKey(), 0, e.getValue(), "bar", number(e.getValue()) + " " + unit)).toList();
        return spans(label, spans);
    }

    /** One row of {@link #spans}: its name, where its bar starts and ends (one scale for all rows), its CSS class and the text after it. */
    record Span(String name, double from, double to, String cssClass, String note) {
    }

    /** Horizontal bars on one scale, a row each, named on the left and noted on the right: bar charts, and an attempt timeline. */
    static String spans(String label, List<Span> spans) {
        int rowHeight = 22;
        int height = Math.max(1, spans.size()) * rowHeight + 8;
        double max = spans.stream().mapToDouble(Span::to).max().orElse(0);
        StringBuilder b = new StringBuilder("<svg class=\"chart\" role=\"img\" viewBox=\"0 0 " + WIDTH + " " + height + "\" aria-label=\"")
                .append(text(label)).append("\">");
        int y = 4;
        int labelWidth = 180;
        double scale = max <= 0 ? 0 : (WIDTH - labelWidth - 110) / max;
        for (Span s : spans) {
            double x = labelWidth + s.from() * scale;
            double w = Math.max((s.to() - s.from()) * scale, 1);
            b.append("<text x=\"").append(labelWidth - 6).append("\" y=\"").append(y + 15).append("\" text-anchor=\"end\">")
                    .append(text(s.name())).append("</text>");
            b.append("<rect class=\"").append(s.cssClass()).append("\" x=\"").append(coord(x)).append("\" y=\"").append(y + 3)
                    .append("\" width=\"").append(coord(w)).append("\" height=\"").append(rowHeight - 6).append("\"/>");
            b.append("<text x=\"").append(coord(x + w + 6)).append("\" y=\"").append(y + 15).append("\">").append(text(s.note()))
                    .append("</text>");
            y += rowHeight;
        }
        return b.append("</svg>").toString();
    }

    /** Stacked columns: one a category (a day), split by the classes given in order, each class its CSS class. */
    static String stacked(String label, Map<String, int[]> columns, List<String> classes) {
        int max = columns.values().stream().mapToInt(c -> java.util.Arrays.stream(c).sum()).max().orElse(0);
        Range ys = Range.of(0, Math.max(max, 1));
        StringBuilder b = open(label);
        b.append(axisLines());
        b.append(yLabels(ys));
        int n = Math.max(columns.size(), 1);
        double slot = (double) (WIDTH - LEFT - RIGHT) / n;
        double w = Math.min(slot * 0.7, 40);
        int i = 0;
        for (Map.Entry<String, int[]> c : columns.entrySet()) {
            double x = LEFT + slot * i + (slot - w) / 2;
            int base = 0;
            for (int k = 0; k < classes.size(); k++) {
                int v = c.getValue()[k];
                if (v > 0) {
                    double top = ys.y(base + v);
                    b.append("<rect class=\"").append(classes.get(k)).append("\" x=\"").append(coord(x)).append("\" y=\"").append(coord(top))
                            .append("\" width=\"").append(coord(w)).append("\" height=\"").append(coord(ys.y(base) - top))
                            .append("\"><title>").append(text(c.getKey())).append(": ").append(v).append(' ')
                            .append(classes.get(k).replace('_', ' ')).append("</title></rect>");
                    base += v;
                }
            }
            if (n <= 12 || i % (n / 12 + 1) == 0) {
                b.append("<text x=\"").append(coord(x + w / 2)).append("\" y=\"").append(HEIGHT - 10).append("\" text-anchor=\"middle\">")
                        .append(text(c.getKey())).append("</text>");
            }
            i++;
        }
        return close(b);
    }

    /** Dots (x, y), x labelled {@code xLabel}; a y that is not finite is shown as a cross at the top. */
    static String dots(String label, String xLabel, List<double[]> points) {
        double xlo = points.stream().mapToDouble(p -> p[0]).min().orElse(0);
        double xhi = points.stream().mapToDouble(p -> p[0]).max().orElse(1);
        double ylo = points.stream().mapToDouble(p -> p[1]).filter(Double::isFinite).min().orElse(0);
        double yhi = points.stream().mapToDouble(p -> p[1]).filter(Double::isFinite).max().orElse(1);
        Range xs = Range.of(xlo, xhi);
        Range ys = Range.of(ylo, yhi);
        StringBuilder b = open(label);
        axes(b, xs, ys, xLabel);
        for (double[] p : points) {
            if (Double.isFinite(p[1])) {
                b.append("<circle class=\"dot\" cx=\"").append(coord(xs.x(p[0]))).append("\" cy=\"").append(coord(ys.y(p[1])))
                        .append("\" r=\"4\"><title>").append(number(p[0])).append(": ").append(number(p[1])).append("</title></circle>");
            } else {
                b.append("<path class=\"nan\" d=\"M").append(coord(xs.x(p[0]) - 4)).append(' ').append(TOP + 2)
                        .append(" l8 8 m0 -8 l-8 8\"><title>").append(number(p[0])).append(": ").append(number(p[1])).append("</title></path>");
            }
        }
        return close(b);
    }

    private static StringBuilder open(String label) {
        return new StringBuilder("<svg class=\"chart\" role=\"img\" viewBox=\"0 0 " + WIDTH + " " + HEIGHT + "\" aria-label=\"")
                .append(text(label)).append("\">");
    }

    private static String close(StringBuilder b) {
        return b.append("</svg>").toString();
    }

    private static void axes(StringBuilder b, Range xs, Range ys, String xLabel) {
        b.append(axisLines()).append(yLabels(ys));
        b.append("<text x=\"").append(LEFT).append("\" y=\"").append(HEIGHT - 10).append("\">").append(number(xs.lo())).append("</text>");
        b.append("<text x=\"").append(WIDTH - RIGHT).append("\" y=\"").append(HEIGHT - 10).append("\" text-anchor=\"end\">")
                .append(number(xs.hi())).append("</text>");
        b.append("<text x=\"").append((WIDTH + LEFT) / 2).append("\" y=\"").append(HEIGHT - 10).append("\" text-anchor=\"middle\">")
                .append(text(xLabel)).append("</text>");
    }

    private static String axisLines() {
        return "<path class=\"axis\" d=\"M" + LEFT + " " + TOP + " V" + (HEIGHT - BOTTOM) + " H" + (WIDTH - RIGHT) + "\"/>";
    }

    private static String yLabels(Range ys) {
        return "<text x=\"" + (LEFT - 6) + "\" y=\"" + (TOP + 8) + "\" text-anchor=\"end\">" + number(ys.hi()) + "</text>"
                + "<text x=\"" + (LEFT - 6) + "\" y=\"" + (HEIGHT - BOTTOM) + "\" text-anchor=\"end\">" + number(ys.lo()) + "</text>";
    }
}
