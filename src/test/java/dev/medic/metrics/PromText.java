package dev.medic.metrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A checker for the Prometheus text exposition format 0.0.4 as node_exporter's textfile collector
 * accepts it, written from the format's specification (not from medic's writer): comment, HELP and
 * TYPE lines, metric and label names, escaped label values, Go float values, one HELP and one TYPE
 * per family and both before its first sample, a family's samples in one group, no duplicate
 * series, no timestamps (the textfile collector refuses them), a final newline. Here every sample
 * must also have its HELP and TYPE.
 */
public final class PromText {
    private static final String NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
    private static final Pattern HELP = Pattern.compile("# HELP (" + NAME + ") (.*)");
    private static final Pattern TYPE = Pattern.compile("# TYPE (" + NAME + ") (counter|gauge|histogram|summary|untyped)");
    private static final Pattern SAMPLE_NAME = Pattern.compile("(" + NAME + ")");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Pattern VALUE = Pattern.compile("[+-]?(?:(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?|Inf|inf)|NaN");

    /** What a valid file holds: its samples by series ({@code name{a="x",b="y"}}, labels sorted), and the families' types. */
    public record Parsed(Map<String, String> samples, Map<String, String> types, Map<String, String> help) {
        /** The value of one series; labels alternate name and value. */
        public String value(String name, String... labels) {
            Map<String, String> l = new TreeMap<>();
            for (int i = 0; i < labels.length; i += 2) {
                l.put(labels[i], labels[i + 1]);
            }
            return samples.get(series(name, l));
        }
    }

    /** Thrown with every violation found, one a line. */
    public static final class Invalid extends AssertionError {
        private static final long serialVersionUID = 1L;

        Invalid(List<String> errors, String text) {
            super("not valid Prometheus text format:\n  " + String.join("\n  ", errors) + "\n--- text ---\n" + text);
        }
    }

    private PromText() {
    }

    public static Parsed parse(String text) {
        List<String> errors = new ArrayList<>();
        Map<String, String> samples = new LinkedHashMap<>();
        Map<String, String> types = new HashMap<>();
        Map<String, String> help = new HashMap<>();
        Set<String> sampled = new HashSet<>();
        Set<String> closed = new HashSet<>();
        String current = null;
        if (text.isEmpty() || !text.endsWith("\n")) {
            errors.add("the text must end with a newline");
        }
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (i == lines.length - 1 && line.isEmpty()) {
                break;
            }
            String at = "line " + (i + 1) + ": ";
            if (line.isBlank()) {
                continue;
            }
            if (line.startsWith("#")) {
                String family = metadata(line, at, types, help, sampled, errors);
                if (family != null && !family.equals(current)) {
                    if (current != null) {
                        closed.add(current);
                    }
                    current = family;
                }
                continue;
            }
            Sample s = sample(line, at, errors);
            if (s == null) {
                continue;
            }
            String family = familyOf(s.name, types);
            if (!types.containsKey(family)) {
                errors.add(at + s.name + " has no TYPE line before it");
            }
            if (!help.containsKey(family)) {
                errors.add(at + s.name + " has no HELP line before it");
            }
            if (!family.equals(current)) {
                if (current != null) {
                    closed.add(current);
                }
                if (closed.contains(family)) {
                    errors.add(at + "the samples of " + family + " are not in one group");
                }
                current = family;
            }
            sampled.add(family);
            String key = series(s.name, s.labels);
            if (samples.put(key, s.value) != null) {
                errors.add(at + "duplicate series " + key);
            }
        }
        if (!errors.isEmpty()) {
            throw new Invalid(errors, text);
        }
        return new Parsed(samples, types, help);
    }

    private static String metadata(String line, String at, Map<String, String> types, Map<String, String> help,
                                   Set<String> sampled, List<String> errors) {
        if (line.startsWith("# HELP ")) {
            Matcher m = HELP.matcher(line);
            if (!m.matches()) {
                errors.add(at + "malformed HELP line: " + line);
                return null;
            }
            if (!validHelpEscapes(m.group(2))) {
                errors.add(at + "HELP text may escape only \\\\ and \\n: " + line);
            }
            if (help.put(m.group(1), m.group(2)) != null) {
                errors.add(at + "a second HELP line for " + m.group(1));
            }
            if (sampled.contains(m.group(1))) {
                errors.add(at + "HELP for " + m.group(1) + " after its samples");
            }
            return m.group(1);
        }
        if (line.startsWith("# TYPE ")) {
            Matcher m = TYPE.matcher(line);
            if (!m.matches()) {
                errors.add(at + "malformed TYPE line: " + line);
                return null;
            }
            if (types.put(m.group(1), m.group(2)) != null) {
                errors.add(at + "a second TYPE line for " + m.group(1));
            }
            if (sampled.contains(m.group(1))) {
                errors.add(at + "TYPE for " + m.group(1) + " after its samples");
            }
            return m.group(1);
        }
        // any other line starting with # is a comment
        return null;
    }

    private static boolean validHelpEscapes(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == '\\') {
                if (i + 1 >= s.length() || (s.charAt(i + 1) != '\\' && s.charAt(i + 1) != 'n')) {
                    return false;
                }
                i++;
            }
        }
        return true;
    }

    private record Sample(String name, Map<String, String> labels, String value) {
    }

    private static Sample sample(String line, String at, List<String> errors) {
        Matcher n = SAMPLE_NAME.matcher(line);
        if (!n.lookingAt()) {
            errors.add(at + "a sample must start with a metric name: " + line);
            return null;
        }
        String name = n.group(1);
        int i = n.end();
        Map<String, String> labels = new TreeMap<>();
        if (i < line.length() && line.charAt(i) == '{') {
            i = labels(line, i + 1, labels, at, errors);
            if (i < 0) {
                return null;
            }
        }
        if (i >= line.length() || line.charAt(i) != ' ') {
            errors.add(at + "a space must separate the series from its value: " + line);
            return null;
        }
        String[] rest = line.substring(i + 1).strip().split(" +");
        if (!VALUE.matcher(rest[0]).matches()) {
            errors.add(at + "not a Go float: '" + rest[0] + "'");
        }
        if (rest.length > 1) {
            errors.add(at + "a timestamp (the textfile collector refuses them): " + line);
        }
        return new Sample(name, labels, rest[0]);
    }

    /** Reads {@code a="x",b="y"}} from {@code i}; returns the index after the closing brace, or -1. */
    private static int labels(String line, int i, Map<String, String> labels, String at, List<String> errors) {
        while (true) {
            if (i < line.length() && line.charAt(i) == '}') {
                return i + 1;
            }
            Matcher ln = LABEL_NAME.matcher(line).region(i, line.length());
            if (!ln.lookingAt()) {
                errors.add(at + "bad label name at column " + (i + 1) + ": " + line);
                return -1;
            }
            String label = ln.group();
            if (label.startsWith("__")) {
                errors.add(at + "label names starting __ are reserved: " + label);
            }
            i = ln.end();
            if (!line.startsWith("=\"", i)) {
                errors.add(at + "label " + label + " needs =\"value\": " + line);
                return -1;
            }
            i += 2;
            StringBuilder v = new StringBuilder();
            while (true) {
                if (i >= line.length()) {
                    errors.add(at + "unterminated label value: " + line);
                    return -1;
                }
                char c = line.charAt(i);
                if (c == '"') {
                    i++;
                    break;
                }
                if (c == '\\') {
                    char e = i + 1 < line.length() ? line.charAt(i + 1) : 0;
                    switch (e) {
                        case '\\' -> v.append('\\');
                        case '"' -> v.append('"');
                        case 'n' -> v.append('\n');
                        default -> {
                            errors.add(at + "bad escape in a label value: " + line);
                            return -1;
                        }
                    }
                    i += 2;
                    continue;
                }
                v.append(c);
                i++;
            }
            if (labels.put(label, v.toString()) != null) {
                errors.add(at + "label " + label + " twice: " + line);
            }
            if (i < line.length() && line.charAt(i) == ',') {
                i++;
            } else if (i >= line.length() || line.charAt(i) != '}') {
                errors.add(at + "labels must be separated by , and closed by }: " + line);
                return -1;
            }
        }
    }

    /** The family a sample belongs to: histogram and summary samples carry a suffix. */
    private static String familyOf(String name, Map<String, String> types) {
        for (String suffix : List.of("_bucket", "_sum", "_count")) {
            if (name.endsWith(suffix)) {
                String base = name.substring(0, name.length() - suffix.length());
                String t = types.get(base);
                if ("histogram".equals(t) || ("summary".equals(t) && !suffix.equals("_bucket"))) {
                    return base;
                }
            }
        }
        return name;
    }

    static String series(String name, Map<String, String> labels) {
        StringBuilder b = new StringBuilder(name).append('{');
        labels.forEach((k, v) -> b.append(k).append("=\"").append(v).append("\","));
        return b.append('}').toString();
    }
}
