package dev.medic.discover;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Line-free reading of Python call arguments: the text between a call's parentheses, split at its
 * top-level commas, with string literals and brackets respected. No AST: what this cannot read
 * (a computed value) comes back as null, and the caller treats it as not known.
 */
final class PyCalls {
    private static final Pattern STRING = Pattern.compile("[rbuRBU]?(['\"])(.*)\\1", Pattern.DOTALL);
    private static final Pattern NUMBER = Pattern.compile("[-+]?([0-9][0-9_]*\\.?[0-9_]*|\\.[0-9]+)([eE][-+]?[0-9]+)?");

    private PyCalls() {
    }

    /** The argument texts of every call whose opening matches {@code opening} (it must end at the '('). */
    static List<List<String>> calls(String source, Pattern opening) {
        List<List<String>> out = new ArrayList<>();
        Matcher m = opening.matcher(source);
        while (m.find()) {
            String inside = inside(source, m.end());
            if (inside != null) {
                out.add(split(inside));
            }
        }
        return out;
    }

    /** The text from {@code from} (just after a '(') to its matching ')', or null when it does not close. */
    static String inside(String s, int from) {
        int depth = 1;
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\'' || c == '"') {
                i = stringEnd(s, i);
            } else if (c == '#') {
                int nl = s.indexOf('\n', i);
                i = nl < 0 ? s.length() : nl;
            } else if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if ((c == ')' || c == ']' || c == '}') && --depth == 0) {
                return s.substring(from, i);
            }
        }
        return null;
    }

    /** Top-level comma-separated parts, stripped (a trailing comma gives no empty part). */
    static List<String> split(String args) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < args.length(); i++) {
            char c = args.charAt(i);
            if (c == '\'' || c == '"') {
                i = stringEnd(args, i);
            } else if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                depth--;
            } else if (c == ',' && depth == 0) {
                parts.add(args.substring(start, i).strip());
                start = i + 1;
            }
        }
        String last = args.substring(start).strip();
        if (!last.isEmpty()) {
            parts.add(last);
        }
        return parts;
    }

    /** The index of the quote that closes the string literal opened at {@code open} (past the end if none). */
    private static int stringEnd(String s, int open) {
        char quote = s.charAt(open);
        for (int i = open + 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == quote) {
                return i;
            }
        }
        return s.length();
    }

    /** The string a plain literal holds, or null (an f-string, a concatenation, a name). */
    static String string(String part) {
        Matcher m = STRING.matcher(part.strip());
        if (!m.matches() || m.group(2).contains(m.group(1)) || part.strip().toLowerCase().startsWith("f")) {
            return null;
        }
        return m.group(2);
    }

    /** A default's text when it is a literal (number, string, True/False/None); null otherwise. */
    static String literal(String part) {
        String p = part.strip();
        if (NUMBER.matcher(p).matches() || p.equals("True") || p.equals("False") || p.equals("None")) {
            return p;
        }
        return string(p);
    }

    /** The value of keyword {@code name} among {@code parts}, or null. */
    static String keyword(List<String> parts, String name) {
        for (String p : parts) {
            int eq = p.indexOf('=');
            if (eq > 0 && p.substring(0, eq).strip().equals(name) && (eq + 1 >= p.length() || p.charAt(eq + 1) != '=')) {
                return p.substring(eq + 1).strip();
            }
        }
        return null;
    }

    /** Whether {@code part} is a keyword argument (name=value), not a positional one. */
    static boolean isKeyword(String part) {
        return part.matches("(?s)[A-Za-z_][A-Za-z0-9_]*\\s*=[^=].*");
    }
}
