package dev.medic.logs;

import dev.medic.facts.Signature;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Decides, in plain Java, which lines the rule session needs to see: a line is a candidate when
 * one of the catalog's signatures matches it. Literal anchors are checked before any regex runs,
 * because java.util.regex has no DFA and most lines match nothing.
 */
public final class Screen {
    private final List<Signature> anchored = new ArrayList<>();
    private final List<Signature> unanchored = new ArrayList<>();
    private final AnchorAutomaton automaton;

    public Screen(List<Signature> signatures) {
        List<String> literals = new ArrayList<>();
        for (Signature s : signatures) {
            if (!s.hasPattern()) {
                continue;
            }
            // the byte screen folds ASCII case only: a non-ASCII anchor is checked on decoded text
            boolean ascii = !s.getAnchors().isEmpty() && s.getAnchors().stream().allMatch(a -> a.chars().allMatch(c -> c < 128));
            (ascii ? anchored : unanchored).add(s);
            if (ascii) {
                literals.addAll(s.getAnchors());
            }
        }
        automaton = new AnchorAutomaton(literals);
    }

    /**
     * The fast first look at a raw line: false means no signature can match it, so it need not
     * even be decoded. True means {@link #match} must decide.
     */
    public boolean mayMatch(byte[] b, int off, int len) {
        return !unanchored.isEmpty() || automaton.find(b, off, len);
    }

    /** Signatures with a pattern but no literal anchor: they run on every line. */
    public List<Signature> unanchored() {
        return List.copyOf(unanchored);
    }

    /** The signatures whose pattern matches this line of this stream; empty for most lines. */
    public List<Signature> match(String text, String stream) {
        List<Signature> hits = null;
        if (!anchored.isEmpty()) {
            String lower = null;
            for (Signature s : anchored) {
                if (!s.appliesToStream(stream)) {
                    continue;
                }
                if (lower == null) {
                    lower = text.toLowerCase(Locale.ROOT);
                }
                if (containsAny(lower, s.getAnchors()) && s.matchesText(text)) {
                    if (hits == null) {
                        hits = new ArrayList<>(2);
                    }
                    hits.add(s);
                }
            }
        }
        for (Signature s : unanchored) {
            if (s.appliesToStream(stream) && s.matchesText(text)) {
                if (hits == null) {
                    hits = new ArrayList<>(2);
                }
                hits.add(s);
            }
        }
        return hits == null ? List.of() : hits;
    }

    private static boolean containsAny(String lower, List<String> anchors) {
        for (String a : anchors) {
            if (lower.contains(a)) {
                return true;
            }
        }
        return false;
    }
}
