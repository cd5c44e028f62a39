package dev.medic.triage;

/**
 * Text from a log made safe for a drafted catalog entry: as a regular expression that matches
 * exactly it, and as text a YAML file keeps as it is.
 */
public final class PatternText {
    private PatternText() {
    }

    /**
     * {@code literal} as a regular expression that matches exactly it. A character that YAML
     * would not keep as it is in a quoted scalar (a control, a line or paragraph separator, a
     * noncharacter, half a surrogate pair) is written {@code \x{HEX}}, so that the pattern
     * survives the catalog file.
     */
    public static String escape(String literal) {
        StringBuilder b = new StringBuilder(literal.length() + 8);
        for (int i = 0; i < literal.length(); i++) {
            char c = literal.charAt(i);
            boolean pair = Character.isHighSurrogate(c) && i + 1 < literal.length() && Character.isLowSurrogate(literal.charAt(i + 1));
            if (pair) {
                b.append(c).append(literal.charAt(++i));
            } else if (!yamlKeeps(c)) {
                b.append("\\x{").append(Integer.toHexString(c)).append('}');
            } else {
                if ("\\.[]{}()*+?^$|".indexOf(c) >= 0) {
                    b.append('\\');
                }
                b.append(c);
            }
        }
        return b.toString();
    }

    /** Whether a YAML quoted scalar keeps {@code c} as it is (a lone surrogate is not kept). */
    private static boolean yamlKeeps(char c) {
        return (c >= 0x20 && c < 0x7F) || c == '\t' || (c >= 0xA0 && c < 0xD800 && c != 0x2028 && c != 0x2029)
                || (c >= 0xE000 && c <= 0xFFFD);
    }

    /** {@code s} with what a YAML quoted scalar would not keep replaced by U+FFFD, for text a person reads. */
    public static String printable(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                b.append(c).append(s.charAt(++i));
            } else {
                b.append(yamlKeeps(c) ? c : '\uFFFD');
            }
        }
        return b.toString();
    }
}
