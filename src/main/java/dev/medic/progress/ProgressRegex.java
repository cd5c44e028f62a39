package dev.medic.progress;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The regular expression of a progress pattern as the catalog writes it, compiled. Two things are
 * added to java.util.regex: the placeholders {@code {int}} and {@code {num}} (a number as trainers
 * print it, {@code 4.1E+00}, {@code 3e-4}, {@code nan}, {@code -inf} included), and group names
 * with an underscore ({@code total_steps}), which Java does not allow and which are renamed here.
 *
 * @param source the text as the catalog gives it
 * @param pattern the compiled expression
 * @param groups the groups it captures, by their catalog names ({@link #GROUPS}), each with its
 *               names in the compiled pattern: a group may be written more than once (in two
 *               alternatives, say {@code 5.2 it/s} and {@code tok/s=41233}), and the first that
 *               took part in the match gives the value
 */
public record ProgressRegex(String source, Pattern pattern, Map<String, List<String>> groups) {
    /** The groups a progress pattern may capture, by their catalog names. */
    public static final List<String> GROUPS = List.of("step", "total_steps", "epoch", "total_epochs", "loss", "lr",
            "throughput", "unit");
    /** Catalog names Java would refuse, and what they are called in the compiled pattern. */
    private static final Map<String, String> JAVA_NAMES = Map.of("total_steps", "totalSteps", "total_epochs", "totalEpochs");
    /**
     * A whole number. Possessive, like {@link #NUM}: a number is read whole or not at all, so a
     * pattern that fails after it does not retry every shorter prefix of it.
     */
    static final String INT = "\\d++";
    /** A number as trainers print it; the word forms must end there ({@code info} is not {@code inf}). */
    static final String NUM = "(?>[-+]?(?:\\d++(?:\\.\\d*+)?|\\.\\d++)(?:[eE][-+]?\\d++)?|[-+]?(?i:nan|inf(?:inity)?)\\b)";
    /** Longest expression accepted; a longer one is a mistake and would slow every progress line. */
    private static final int MAX_LENGTH = 2000;

    public ProgressRegex {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        groups.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        groups = Collections.unmodifiableMap(copy);
    }

    /** True when the regex captures this group (a catalog name). */
    public boolean captures(String group) {
        return groups.containsKey(group);
    }

    /**
     * Compiles a catalog expression.
     *
     * @throws IllegalArgumentException with a one-line reason: not a valid regular expression, a
     *         group that is not one of {@link #GROUPS}, or no group at all
     */
    public static ProgressRegex of(String source) {
        if (source.isEmpty() || source.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("must be a regular expression of 1 to " + MAX_LENGTH + " characters");
        }
        Map<String, List<String>> groups = new LinkedHashMap<>();
        String java = translate(source, groups);
        Pattern pattern;
        try {
            pattern = Pattern.compile(java);
        } catch (PatternSyntaxException e) {
            String where = java.equals(source) ? " near index " + e.getIndex() : "";
            throw new IllegalArgumentException("not a valid regular expression: " + firstLine(e.getDescription()) + where);
        }
        if (groups.isEmpty()) {
            throw new IllegalArgumentException("captures nothing: name at least one group, (?<step>...), of "
                    + String.join(", ", GROUPS));
        }
        if (groups.containsKey("unit") && !groups.containsKey("throughput")) {
            throw new IllegalArgumentException("captures (?<unit>...) but no (?<throughput>...) for it to be the unit of");
        }
        return new ProgressRegex(source, pattern, groups);
    }

    /** The name a catalog group has in the compiled pattern (its first occurrence). */
    private static String javaName(String group) {
        return JAVA_NAMES.getOrDefault(group, group);
    }

    /**
     * Expands the placeholders and renames the groups, outside character classes and quoted text;
     * adds each named group's catalog name to {@code groups}, with its names in the result.
     */
    private static String translate(String r, Map<String, List<String>> groups) {
        StringBuilder out = new StringBuilder(r.length() + 64);
        int classDepth = 0;
        int i = 0;
        while (i < r.length()) {
            char c = r.charAt(i);
            if (c == '\\' && i + 1 < r.length()) {
                char e = r.charAt(i + 1);
                int end = i + 2;
                if (e == 'Q') {
                    int q = r.indexOf("\\E", i + 2);
                    end = q < 0 ? r.length() : q + 2;
                } else if (e == 'k' && classDepth == 0 && r.startsWith("<", i + 2)) {
                    int close = r.indexOf('>', i + 3);
                    if (close > 0) {
                        out.append("\\k<").append(javaName(r.substring(i + 3, close))).append('>');
                        i = close + 1;
                        continue;
                    }
                }
                out.append(r, i, end);
                i = end;
            } else if (classDepth > 0) {
                classDepth += c == '[' ? 1 : c == ']' ? -1 : 0;
                out.append(c);
                i++;
            } else if (c == '[') {
                // a ']' right after '[' or '[^' is a literal, not the end of the class
                int start = i;
                i++;
                if (i < r.length() && r.charAt(i) == '^') {
                    i++;
                }
                if (i < r.length() && r.charAt(i) == ']') {
                    i++;
                }
                out.append(r, start, i);
                classDepth = 1;
            } else if (c == '(' && r.startsWith("?<", i + 1) && i + 3 < r.length() && Character.isLetter(r.charAt(i + 3))) {
                int close = r.indexOf('>', i + 3);
                if (close < 0) {
                    out.append(c);
                    i++;
                    continue;
                }
                String name = r.substring(i + 3, close);
                String group = catalogName(name);
                if (group == null) {
                    throw new IllegalArgumentException("unknown group (?<" + name + ">): a progress pattern captures only "
                            + String.join(", ", GROUPS));
                }
                List<String> names = groups.computeIfAbsent(group, g -> new ArrayList<>());
                // Java refuses a name given twice; a later occurrence is numbered (a name no catalog can write)
                String javaName = javaName(group) + (names.isEmpty() ? "" : "X" + (names.size() + 1));
                names.add(javaName);
                out.append("(?<").append(javaName).append('>');
                i = close + 1;
            } else if (r.startsWith("{num}", i)) {
                out.append(NUM);
                i += 5;
            } else if (r.startsWith("{int}", i)) {
                out.append(INT);
                i += 5;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    /** The catalog name of a group written either way ({@code total_steps} or {@code totalSteps}), or null. */
    private static String catalogName(String name) {
        if (GROUPS.contains(name)) {
            return name;
        }
        for (Map.Entry<String, String> e : JAVA_NAMES.entrySet()) {
            if (e.getValue().equals(name)) {
                return e.getKey();
            }
        }
        return null;
    }

    private static String firstLine(String s) {
        int nl = s == null ? -1 : s.indexOf('\n');
        return s == null ? "" : (nl < 0 ? s : s.substring(0, nl)).strip();
    }
}
