package dev.medic.catalog;

import java.math.BigInteger;

/**
 * A positive integer a config file gives a key, as a loader reads it, and where its text lies in the
 * file ({@code start} inclusive, {@code end} exclusive, in chars), so that a fix changes those
 * characters and nothing else. {@code refusal} says why it cannot be changed in place (null when it
 * can): the value is shared through an anchor, or it is not written as a plain number.
 */
public record ConfigInt(String key, String path, long value, String written, int start, int end, String refusal) {
    /** {@code v} written the way this value is ({@code 0x40}, {@code 100_000}, {@code +64}), so a YAML 1.1 loader reads an int again. */
    public String rewritten(long v) {
        String sign = written.startsWith("+") ? "+" : "";
        String body = sign.isEmpty() ? written : written.substring(1);
        if (body.startsWith("0b")) {
            return sign + "0b" + Long.toBinaryString(v);
        }
        if (body.startsWith("0x")) {
            String hex = Long.toHexString(v);
            return sign + "0x" + (body.chars().anyMatch(c -> c >= 'A' && c <= 'F') ? hex.toUpperCase() : hex);
        }
        if (body.contains(":") && v >= 60) {
            return sign + sexagesimal(v);
        }
        if (body.length() > 1 && body.startsWith("0")) {
            return sign + "0" + Long.toOctalString(v);
        }
        String digits = Long.toString(v);
        return sign + (body.contains("_") ? grouped(digits) : digits);
    }

    /** The value of an integer as YAML 1.1 writes one (the forms SnakeYAML's resolver tags int); null when it is not one. */
    static Long parse(String text) {
        String body = text.startsWith("+") || text.startsWith("-") ? text.substring(1) : text;
        BigInteger v;
        try {
            if (body.contains(":")) {
                v = BigInteger.ZERO;
                for (String part : body.replace("_", "").split(":")) {
                    v = v.multiply(BigInteger.valueOf(60)).add(new BigInteger(part));
                }
            } else {
                String digits = body.replace("_", "");
                int radix = digits.startsWith("0b") ? 2 : digits.startsWith("0x") ? 16 : digits.length() > 1 && digits.startsWith("0") ? 8 : 10;
                v = new BigInteger(radix == 2 || radix == 16 ? digits.substring(2) : digits, radix);
            }
        } catch (NumberFormatException e) {
            return null;
        }
        if (text.startsWith("-")) {
            v = v.negate();
        }
        return v.bitLength() < 64 ? v.longValue() : null;
    }

    private static String sexagesimal(long v) {
        StringBuilder b = new StringBuilder();
        long rest = v;
        while (rest >= 60) {
            b.insert(0, String.format(":%02d", rest % 60));
            rest /= 60;
        }
        return rest + b.toString();
    }

    private static String grouped(String digits) {
        StringBuilder b = new StringBuilder(digits);
        for (int i = digits.length() - 3; i > 0; i -= 3) {
            b.insert(i, '_');
        }
        return b.toString();
    }
}
