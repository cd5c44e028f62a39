package dev.medic.metrics;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * The Prometheus text exposition format (version 0.0.4), as node_exporter's textfile collector
 * reads it: per family a {@code # HELP} and a {@code # TYPE} line, then its samples; label values
 * and help text escaped; values in Go float syntax ({@code NaN}, {@code +Inf}); no timestamps,
 * which the textfile collector refuses.
 */
public final class TextFormat {
    private final List<Family> families = new ArrayList<>();

    /** A metric family: name, type and help, then samples that all carry its name. */
    final class Family {
        private final String name;
        private final String type;
        private final String help;
        private final List<String> samples = new ArrayList<>();

        private Family(String name, String type, String help) {
            this.name = name;
            this.type = type;
            this.help = help;
        }

        /** One sample; {@code labels} alternate name and value and keep their order. */
        Family sample(double value, String... labels) {
            StringBuilder b = new StringBuilder(name);
            if (labels.length > 0) {
                b.append('{');
                for (int i = 0; i < labels.length; i += 2) {
                    if (i > 0) {
                        b.append(',');
                    }
                    b.append(labels[i]).append("=\"").append(escapeLabel(labels[i + 1])).append('"');
                }
                b.append('}');
            }
            samples.add(b.append(' ').append(value(value)).toString());
            return this;
        }
    }

    Family family(String name, String type, String help) {
        Family f = new Family(name, type, help);
        families.add(f);
        return f;
    }

    /** The whole exposition; families without samples are left out. Ends with a newline. */
    String render() {
        StringBuilder b = new StringBuilder();
        for (Family f : families) {
            if (f.samples.isEmpty()) {
                continue;
            }
            b.append("# HELP ").append(f.name).append(' ').append(escapeHelp(f.help)).append('\n');
            b.append("# TYPE ").append(f.name).append(' ').append(f.type).append('\n');
            for (String s : f.samples) {
                b.append(s).append('\n');
            }
        }
        return b.toString();
    }

    static String escapeLabel(String v) {
        return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    static String escapeHelp(String v) {
        return v.replace("\\", "\\\\").replace("\n", "\\n");
    }

    /** Integers without a fraction, other numbers in plain decimal where that stays short. */
    static String value(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        double abs = Math.abs(v);
        if (v == Math.rint(v) && abs < 1e15) {
            return Long.toString((long) v);
        }
        if (abs >= 1e-6 && abs < 1e15) {
            return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
        }
        return Double.toString(v);
    }

    /** A journal value as a number: JSON numbers, and strings such as "NaN", "inf" or "0.5"; null if it is neither. */
    public static Double number(Object o) {
        if (o instanceof Number n) {
            return n.doubleValue();
        }
        if (!(o instanceof String s)) {
            return null;
        }
        String t = s.strip().toLowerCase(java.util.Locale.ROOT);
        return switch (t) {
            case "nan", "+nan", "-nan" -> Double.NaN;
            case "inf", "+inf", "infinity", "+infinity" -> Double.POSITIVE_INFINITY;
            case "-inf", "-infinity" -> Double.NEGATIVE_INFINITY;
            default -> {
                try {
                    yield Double.parseDouble(t);
                } catch (NumberFormatException e) {
                    yield null;
                }
            }
        };
    }
}
