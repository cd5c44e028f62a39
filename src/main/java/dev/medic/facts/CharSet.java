package dev.medic.facts;

import dk.brics.automaton.Automaton;
import dk.brics.automaton.BasicAutomata;
import dk.brics.automaton.BasicOperations;

import java.util.ArrayList;
import java.util.List;

/**
 * A set of characters as sorted, merged ranges ({@code pairs}: surrogate pairs belong to it too),
 * and the automata {@link RegexSuperset} builds from characters.
 */
final class CharSet {
    private final List<char[]> ranges = new ArrayList<>();
    private boolean pairs;

    CharSet add(char lo, char hi) {
        ranges.add(new char[] {lo, hi});
        return this;
    }

    CharSet addAll(CharSet o) {
        ranges.addAll(o.ranges);
        pairs |= o.pairs;
        return this;
    }

    List<char[]> ranges() {
        List<char[]> s = new ArrayList<>(ranges);
        s.sort((a, b) -> Character.compare(a[0], b[0]));
        List<char[]> out = new ArrayList<>();
        for (char[] r : s) {
            char[] last = out.isEmpty() ? null : out.get(out.size() - 1);
            if (last != null && r[0] <= last[1] + 1) {
                last[1] = (char) Math.max(last[1], r[1]);
            } else {
                out.add(new char[] {r[0], r[1]});
            }
        }
        return out;
    }

    CharSet negate() {
        CharSet n = new CharSet();
        int from = 0;
        for (char[] r : ranges()) {
            if (r[0] > from) {
                n.add((char) from, (char) (r[0] - 1));
            }
            from = r[1] + 1;
        }
        if (from <= Character.MAX_VALUE) {
            n.add((char) from, Character.MAX_VALUE);
        }
        return n;
    }

    CharSet withSurrogatePairs() {
        pairs = true;
        return this;
    }

    /** The set with each character's other cases; a range reaching past the scripts with cases becomes everything. */
    CharSet withCases() {
        CharSet out = new CharSet().addAll(this);
        for (char[] r : ranges()) {
            if (r[1] > 0x2000) {
                return out.add('\0', Character.MAX_VALUE);
            }
            for (int c = r[0]; c <= r[1]; c++) {
                char lo = Character.toLowerCase((char) c);
                char up = Character.toUpperCase((char) c);
                char title = Character.toTitleCase((char) c);
                out.add(lo, lo).add(up, up).add(title, title);
            }
        }
        return out;
    }

    /** \\d, \\s or \\w (by its lower-case letter), as java.util.regex has them without UNICODE_CHARACTER_CLASS. */
    static CharSet named(char c) {
        CharSet s = new CharSet();
        switch (c) {
            case 'd' -> s.add('0', '9');
            case 's' -> s.add(' ', ' ').add('\t', '\r'); // \t \n \x0B \f \r
            default -> s.add('a', 'z').add('A', 'Z').add('0', '9').add('_', '_');
        }
        return s;
    }

    /** One character of {@code set}, in each of its cases when {@code caseless}. */
    static Automaton chars(CharSet set, boolean caseless) {
        CharSet s = caseless ? set.withCases() : set;
        List<Automaton> ranges = new ArrayList<>();
        for (char[] r : s.ranges()) {
            ranges.add(BasicAutomata.makeCharRange(r[0], r[1]));
        }
        Automaton a = ranges.isEmpty() ? BasicAutomata.makeEmpty() : BasicOperations.union(ranges);
        return s.pairs ? BasicOperations.union(a, surrogatePair()) : a;
    }

    /** One code point: java.util.regex's '.' and negated classes take a surrogate pair as one character. */
    static Automaton anyCodePoint() {
        return BasicOperations.union(BasicAutomata.makeAnyChar(), surrogatePair());
    }

    /** A character outside the BMP, as its two UTF-16 units. */
    static Automaton surrogatePair() {
        return BasicOperations.concatenate(BasicAutomata.makeCharRange('\uD800', '\uDBFF'),
                BasicAutomata.makeCharRange('\uDC00', '\uDFFF'));
    }

    /** The string {@code s}, each character in each of its cases when {@code caseless}. */
    static Automaton literal(String s, boolean caseless) {
        List<Automaton> parts = new ArrayList<>();
        for (char c : s.toCharArray()) {
            parts.add(chars(new CharSet().add(c, c), caseless));
        }
        return BasicOperations.concatenate(parts);
    }
}
