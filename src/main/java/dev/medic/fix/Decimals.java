package dev.medic.fix;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.regex.Pattern;

/**
 * Decimal values of command lines scaled without binary float noise, and printed in the style
 * the user wrote them: {@code 1.0 * 0.5 -> 0.5}, {@code 2.0 * 0.5 -> 1.0}, {@code 3e-4 * 0.5 ->
 * 1.5e-4}, {@code 1.0E-03 * 0.5 -> 5.0E-04}.
 */
final class Decimals {
    /** A decimal number as command lines write it, with an optional sign and exponent. */
    static final Pattern SHAPE = Pattern.compile("[-+]?(?:[0-9]+\\.?[0-9]*|\\.[0-9]+)(?:[eE][-+]?[0-9]+)?");
    /** A decimal number greater than or equal to zero, without a sign. */
    static final Pattern NON_NEGATIVE = Pattern.compile("(?:[0-9]+\\.?[0-9]*|\\.[0-9]+)(?:[eE][-+]?[0-9]+)?");
    /** Significant digits kept after scaling: plenty for learning rates and clipping norms. */
    private static final MathContext DIGITS = new MathContext(6, RoundingMode.HALF_EVEN);

    private Decimals() {
    }

    static BigDecimal parse(String text) {
        return new BigDecimal(text.strip());
    }

    /** {@code value * factor}, rounded to six significant digits. */
    static BigDecimal scale(BigDecimal value, double factor) {
        return value.multiply(new BigDecimal(Double.toString(factor))).round(DIGITS);
    }

    /** {@code v} printed the way {@code styleOf} is written (scientific or plain, with a point or not). */
    static String format(BigDecimal v, String styleOf) {
        BigDecimal x = v.round(DIGITS).stripTrailingZeros();
        int e = Math.max(styleOf.indexOf('e'), styleOf.indexOf('E'));
        if (x.signum() == 0) {
            return styleOf.contains(".") ? "0.0" : "0";
        }
        if (e >= 0) {
            String mantissaStyle = styleOf.substring(0, e);
            String expStyle = styleOf.substring(e + 1);
            String expDigits = expStyle.replaceFirst("^[-+]", "");
            int width = expDigits.length() > 1 && expDigits.startsWith("0") ? expDigits.length() : 1;
            int exp = x.precision() - x.scale() - 1;
            String mantissa = x.movePointLeft(exp).stripTrailingZeros().toPlainString();
            if (mantissaStyle.contains(".") && !mantissa.contains(".")) {
                mantissa += ".0";
            }
            String sign = exp < 0 ? "-" : expStyle.startsWith("+") ? "+" : "";
            return mantissa + styleOf.charAt(e) + sign + String.format("%0" + width + "d", Math.abs(exp));
        }
        if (x.scale() <= 0) {
            String whole = x.setScale(0).toPlainString();
            return styleOf.contains(".") ? whole + ".0" : whole;
        }
        return x.toPlainString();
    }

    /** {@code original * factor}, printed in the original's style. */
    static String scaled(String original, double factor) {
        return format(scale(parse(original), factor), original);
    }
}
