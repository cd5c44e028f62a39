package dev.medic.util;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Sizes as docker writes them: {@code 512m}, {@code 4g}, {@code 1.5g}, {@code 100000} (bytes). */
public final class ByteSizes {
    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([bkmgt]?)(?:i?b)?");

    private ByteSizes() {
    }

    public static long parse(String text) {
        Matcher m = SIZE.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a size (use e.g. 512m, 4g)");
        }
        double n = Double.parseDouble(m.group(1));
        int shift = switch (m.group(2)) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            case "t" -> 40;
            default -> 0;
        };
        double bytes = n * (1L << shift);
        if (bytes > Long.MAX_VALUE / 2) {
            throw new IllegalArgumentException("'" + text + "' is too large");
        }
        return (long) bytes;
    }

    /** The way {@link #parse} reads it back, to a tenth of a unit: {@code 100M}, {@code 46.5M}, {@code 512K}, {@code 900B}. */
    public static String format(long bytes) {
        String[] units = {"T", "G", "M", "K"};
        for (int i = 0; i < units.length; i++) {
            long unit = 1L << (10 * (units.length - i));
            if (bytes >= unit) {
                if (bytes % unit == 0) {
                    return bytes / unit + units[i];
                }
                return String.format(Locale.ROOT, "%.1f", bytes / (double) unit) + units[i];
            }
        }
        return bytes + "B";
    }
}
