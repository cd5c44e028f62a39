package dev.medic.report;

import dev.medic.logs.Ansi;

import java.util.Locale;

/** Text made safe for HTML: every text the report takes from journals (log lines, commands, ids) goes through {@link #text}. */
final class Html {
    private Html() {
    }

    /** {@code s} with its terminal escapes and control characters removed and {@code & < > " '} escaped; "" for null. */
    static String text(String s) {
        if (s == null) {
            return "";
        }
        String plain = Ansi.strip(s);
        StringBuilder b = new StringBuilder(plain.length() + 16);
        for (int i = 0; i < plain.length(); i++) {
            char c = plain.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c < 0x20 && c != '\t' || c == 0x7f ? '\uFFFD' : c);
            }
        }
        return b.toString();
    }

    /** A number as the report shows it: up to four significant digits, NaN and infinities by name. */
    static String number(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e9) {
            return Long.toString((long) v);
        }
        return String.format(Locale.ROOT, "%.4g", v).replaceAll("(\\.\\d*?)0+($|e)", "$1$2").replace(".e", "e").replaceAll("\\.$", "");
    }

    /** A coordinate for SVG: one decimal, always a dot. */
    static String coord(double v) {
        long tenths = Math.round(v * 10);
        long abs = Math.abs(tenths);
        return (tenths < 0 ? "-" : "") + abs / 10 + "." + abs % 10;
    }
}
