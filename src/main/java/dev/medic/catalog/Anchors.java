package dev.medic.catalog;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Derives screening literals from a regular expression: a list of strings, one of which occurs
 * (ignoring case) in every line the pattern can match. java.util.regex has no DFA, so lines are
 * screened with these literals first and the regex runs only on lines that contain one. The
 * derivation is conservative: whatever it does not understand ends the current literal, and a
 * pattern it cannot anchor gets an empty list (the regex then runs on every line).
 */
public final class Anchors {
    /** Shorter literals screen out too little to be worth it. */
    static final int MIN_LENGTH = 3;

    private Anchors() {
    }

    public static List<String> derive(String regex) {
        String body = stripLeadingFlags(regex);
        List<String> alternatives = splitTopLevel(body);
        if (alternatives == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (String alt : alternatives) {
            String best = longestLiteral(alt);
            if (best == null || best.length() < MIN_LENGTH) {
                return List.of();
            }
            String lower = best.toLowerCase(Locale.ROOT);
            if (!out.contains(lower)) {
                out.add(lower);
            }
        }
        return out;
    }

    private static String stripLeadingFlags(String regex) {
        String r = regex;
        while (r.startsWith("(?") && r.length() > 3) {
            int close = r.indexOf(')');
            String flags = close > 2 ? r.substring(2, close) : "";
            if (close < 0 || !flags.matches("[a-zA-Z-]+")) {
                break;
            }
            r = r.substring(close + 1);
        }
        return r;
    }

    /** Splits at top-level '|'; null when the brackets do not balance. */
    private static List<String> splitTopLevel(String r) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        boolean inClass = false;
        int start = 0;
        for (int i = 0; i < r.length(); i++) {
            char c = r.charAt(i);
            if (c == '\\') {
                if (i + 1 < r.length() && r.charAt(i + 1) == 'Q') {
                    int end = r.indexOf("\\E", i + 2);
                    i = end < 0 ? r.length() : end + 1;
                } else {
                    i++;
                }
            } else if (inClass) {
                if (c == ']') {
                    inClass = false;
                }
            } else if (c == '[') {
                inClass = true;
                if (i + 1 < r.length() && r.charAt(i + 1) == ']') {
                    i++;
                }
            } else if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == '|' && depth == 0) {
                parts.add(r.substring(start, i));
                start = i + 1;
            }
        }
        if (depth != 0 || inClass) {
            return null;
        }
        parts.add(r.substring(start));
        return parts;
    }

    /** The longest run of plain literal characters that every match of this sequence must contain. */
    private static String longestLiteral(String r) {
        String best = null;
        StringBuilder run = new StringBuilder();
        int i = 0;
        while (i < r.length()) {
            char c = r.charAt(i);
            String lit = null;
            int next = i + 1;
            if (c == '\\' && i + 1 < r.length()) {
                char e = r.charAt(i + 1);
                next = i + 2;
                if (e == 'Q') {
                    int end = r.indexOf("\\E", i + 2);
                    String quoted = end < 0 ? r.substring(i + 2) : r.substring(i + 2, end);
                    next = end < 0 ? r.length() : end + 2;
                    if (isOptionalQuantifier(r, next)) {
                        best = longer(best, run.toString());
                        run.setLength(0);
                        i = skipQuantifier(r, next);
                        continue;
                    }
                    run.append(quoted);
                    i = next;
                    continue;
                }
                if (!Character.isLetterOrDigit(e)) {
                    lit = String.valueOf(e);
                }
            } else if (c == '(' ) {
                best = longer(best, run.toString());
                run.setLength(0);
                int end = matchingParen(r, i);
                i = skipQuantifier(r, end + 1);
                continue;
            } else if (c == '[') {
                best = longer(best, run.toString());
                run.setLength(0);
                int end = classEnd(r, i);
                i = skipQuantifier(r, end + 1);
                continue;
            } else if (".^$*+?{}|)".indexOf(c) < 0) {
                lit = String.valueOf(c);
            }
            if (lit == null) {
                best = longer(best, run.toString());
                run.setLength(0);
                i = skipQuantifier(r, next);
                continue;
            }
            if (isOptionalQuantifier(r, next)) {
                best = longer(best, run.toString());
                run.setLength(0);
                i = skipQuantifier(r, next);
                continue;
            }
            run.append(lit);
            if (next < r.length() && (r.charAt(next) == '+' || r.charAt(next) == '{')) {
                best = longer(best, run.toString());
                run.setLength(0);
                i = skipQuantifier(r, next);
                continue;
            }
            i = next;
        }
        return longer(best, run.toString());
    }

    private static boolean isOptionalQuantifier(String r, int at) {
        if (at >= r.length()) {
            return false;
        }
        char q = r.charAt(at);
        if (q == '?' || q == '*') {
            return true;
        }
        if (q == '{') {
            int close = r.indexOf('}', at);
            return close > at && r.substring(at + 1, close).trim().startsWith("0");
        }
        return false;
    }

    private static int skipQuantifier(String r, int at) {
        int i = at;
        if (i < r.length()) {
            char q = r.charAt(i);
            if (q == '?' || q == '*' || q == '+') {
                i++;
            } else if (q == '{') {
                int close = r.indexOf('}', i);
                i = close < 0 ? r.length() : close + 1;
            }
            if (i < r.length() && (r.charAt(i) == '?' || r.charAt(i) == '+') && i != at) {
                i++;
            }
        }
        return i;
    }

    private static int matchingParen(String r, int open) {
        int depth = 0;
        for (int i = open; i < r.length(); i++) {
            char c = r.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '[') {
                i = classEnd(r, i);
            } else if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return i;
            }
        }
        return r.length() - 1;
    }

    private static int classEnd(String r, int open) {
        int i = open + 1;
        if (i < r.length() && r.charAt(i) == '^') {
            i++;
        }
        if (i < r.length() && r.charAt(i) == ']') {
            i++;
        }
        for (; i < r.length(); i++) {
            char c = r.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == ']') {
                return i;
            }
        }
        return r.length() - 1;
    }

    private static String longer(String a, String b) {
        if (a == null) {
            return b.isEmpty() ? null : b;
        }
        return b.length() > a.length() ? b : a;
    }
}
