package dev.medic.progress;

import dev.medic.facts.BudgetedRegex;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.stream.Stream;

/**
 * One way a trainer prints its progress: a regular expression whose named groups give the step,
 * epoch, loss, learning rate and rate, the rate's unit (fixed, or a group), and literal anchors of
 * which one occurs in every line it matches (so most lines never reach the regex).
 */
public final class ProgressPattern {
    private final String name;
    private final ProgressRegex regex;
    private final BudgetedRegex search;
    private final List<String> anchors;
    private final String unit;
    private final LineFilter unless;

    /**
     * @param name    how warnings name it, e.g. {@code catalog/progress.yaml: progress.patterns[3] (tqdm)}
     * @param anchors lower-case literals, one of which every match contains; empty: none known
     * @param unit    the rate's unit when the regex does not capture one, else null
     * @param unless  lines this finds are not progress for this pattern; null: none
     * @throws IllegalArgumentException when the unit and the regex disagree (a unit and a
     *                                  {@code unit} group, a unit and no rate, a rate and no unit)
     */
    public ProgressPattern(String name, ProgressRegex regex, List<String> anchors, String unit, LineFilter unless) {
        boolean rate = regex.captures("throughput");
        boolean unitGroup = regex.captures("unit");
        if (unit != null && unitGroup) {
            throw new IllegalArgumentException("the regex captures (?<unit>...) already: give one or the other");
        }
        if (unit != null && !rate) {
            throw new IllegalArgumentException("the regex captures no (?<throughput>...) for this to be the unit of");
        }
        if (unit == null && rate && !unitGroup) {
            throw new IllegalArgumentException("is required when the regex captures (?<throughput>...) and no (?<unit>...)");
        }
        this.name = name;
        this.regex = regex;
        this.search = new BudgetedRegex(regex.pattern());
        this.anchors = anchors.stream().map(a -> a.toLowerCase(Locale.ROOT)).toList();
        this.unit = unit;
        this.unless = unless;
    }

    public String name() {
        return name;
    }

    public ProgressRegex regex() {
        return regex;
    }

    public List<String> anchors() {
        return anchors;
    }

    /** True when every anchor is ASCII (the byte screen folds ASCII case only) and there is one. */
    boolean screenable() {
        return !anchors.isEmpty() && anchors.stream().allMatch(a -> a.chars().allMatch(c -> c < 128));
    }

    /** True when {@code lower} (a line in lower case) holds an anchor, or there are none to look for. */
    boolean mayMatch(String lower) {
        return LineFilter.containsAny(lower, anchors);
    }

    /** The pattern's exclusion, or null. */
    public LineFilter unless() {
        return unless;
    }

    /**
     * What this pattern's regex reads from {@code line}: null when it does not match, gives up (see
     * {@link #takeGaveUpWarnings()}), or captures no number that parses. The caller applies
     * {@link #unless()}.
     */
    Progress read(String line) {
        Matcher m = search.find(line);
        if (m == null) {
            return null;
        }
        Double rate = finite(m, "throughput");
        String rateUnit = rate == null ? null : unit != null ? unit : text(m, "unit");
        if (rateUnit == null) {
            rate = null;
        }
        Progress p = new Progress(whole(m, "step"), whole(m, "total_steps"), finite(m, "epoch"), whole(m, "total_epochs"),
                decimal(m, "loss"), decimal(m, "lr"), rate, rateUnit);
        return p.isEmpty() ? null : p;
    }

    /** Warnings about the lines this pattern and its {@code unless} gave up on since the last call. */
    List<String> takeGaveUpWarnings() {
        String w = search.takeGaveUpWarning(name);
        String u = unless == null ? null : unless.takeGaveUpWarning();
        return Stream.of(w, u).filter(Objects::nonNull).toList();
    }

    /** For {@code medic check}: a short line the regex gives up on (described), or null. */
    public String backtrackingProbe() {
        return search.backtrackingProbe();
    }

    /** The text of the first occurrence of the group that took part in the match, or null. */
    private String text(Matcher m, String group) {
        for (String name : regex.groups().getOrDefault(group, List.of())) {
            String s = m.group(name);
            if (s != null && !s.isBlank()) {
                return s.strip();
            }
        }
        return null;
    }

    /** A group as a number; NaN and infinities are kept, text that is not a number is null. */
    private Double decimal(Matcher m, String group) {
        String s = text(m, group);
        if (s == null) {
            return null;
        }
        if (plainNumber(s)) {
            try {
                return Double.parseDouble(s);
            } catch (NumberFormatException e) {
                return null;
            }
        }
        String w = s.toLowerCase(Locale.ROOT);
        String bare = w.startsWith("-") || w.startsWith("+") ? w.substring(1) : w;
        if (bare.equals("nan")) {
            return Double.NaN;
        }
        if (bare.equals("inf") || bare.equals("infinity")) {
            return w.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        return null;
    }

    /** True for digits, points, signs and exponents only: Double would also read hex and a d or f suffix. */
    private static boolean plainNumber(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    /** A group as a finite number, else null (an epoch of NaN says nothing about where the run is). */
    private Double finite(Matcher m, String group) {
        Double d = decimal(m, group);
        return d == null || d.isNaN() || d.isInfinite() ? null : d;
    }

    /** A group as a whole number not below zero; anything else (a fraction, too large) is null. */
    private Long whole(Matcher m, String group) {
        String s = text(m, group);
        if (s != null && s.length() <= 18 && s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return Long.parseLong(s);
        }
        Double d = finite(m, group);
        return d == null || d < 0 || d >= 0x1p63 || d != Math.rint(d) ? null : d.longValue();
    }

    @Override
    public String toString() {
        return name + " /" + regex.source() + "/";
    }
}
