package dev.medic.progress;

import dev.medic.facts.BudgetedRegex;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Lines that are not progress, whatever a pattern reads in them: the catalog's
 * {@code progress.ignore} entries (for every pattern) and a pattern's {@code unless}. The regex
 * runs only on lines that hold one of its anchors, and within a budget.
 */
public final class LineFilter {
    private final String name;
    private final List<String> anchors;
    private final BudgetedRegex search;

    /**
     * @param name    how warnings name it, e.g. {@code progress.ignore[2]}
     * @param anchors lower-case literals, one of which every line it finds holds; empty: none known
     */
    public LineFilter(String name, Pattern pattern, List<String> anchors) {
        this.name = name;
        this.anchors = List.copyOf(anchors);
        this.search = new BudgetedRegex(pattern);
    }

    public String name() {
        return name;
    }

    public Pattern pattern() {
        return search.pattern();
    }

    public List<String> anchors() {
        return anchors;
    }

    /** True when the expression finds {@code text}; {@code lower} is the same line in lower case. */
    boolean finds(String text, String lower) {
        return containsAny(lower, anchors) && search.find(text) != null;
    }

    /** A warning about the lines the expression gave up on since the last call, or null. */
    public String takeGaveUpWarning() {
        return search.takeGaveUpWarning(name);
    }

    /** For {@code medic check}: a short line the expression gives up on (described), or null. */
    public String backtrackingProbe() {
        return search.backtrackingProbe();
    }

    /** True when {@code lower} holds one of {@code anchors}, or there are none to look for. */
    static boolean containsAny(String lower, List<String> anchors) {
        if (anchors.isEmpty()) {
            return true;
        }
        for (String a : anchors) {
            if (lower.contains(a)) {
                return true;
            }
        }
        return false;
    }
}
