package dev.medic.facts;

import dk.brics.automaton.Automaton;
import dk.brics.automaton.BasicAutomata;
import dk.brics.automaton.BasicOperations;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Translates a java.util.regex pattern into a finite automaton whose language holds every string
 * the pattern can match, and perhaps more: what an automaton cannot express is widened, never
 * narrowed. Assertions (^, $, \b, lookaround) become the empty string, a back-reference any
 * string, a Unicode property any character, lazy and possessive quantifiers greedy ones, and a
 * long counted repetition an unbounded one (which keeps the automaton small). A line such an
 * automaton rejects therefore cannot match the pattern, which is all a prefilter needs. What it
 * cannot widen safely (comments mode, class intersection, a property inside a negated class)
 * throws {@link Unsupported}; the pattern then runs on every line as before.
 */
final class RegexSuperset {
    /** The construct that has no safe widening. */
    static final class Unsupported extends Exception {
        Unsupported(String why) {
            super(why, null, false, false);
        }
    }

    /** Counted repetitions above this become unbounded: {@code .{0,200}} would need 200 states per copy. */
    private static final int MAX_COUNT = 8;
    private static final char MAX = Character.MAX_VALUE;

    private final String p;
    private int i;
    private boolean caseless;

    private RegexSuperset(String source, boolean caseless) {
        this.p = source;
        this.caseless = caseless;
    }

    // inline flags m, s and d only change what ^, $ and . stop at, which the widening ignores anyway

    /**
     * A deterministic automaton over the strings that end with something {@code pattern} may
     * match ({@code .*X}): a string contains a match exactly when one of its prefixes is accepted.
     */
    static Automaton containing(Pattern pattern) throws Unsupported {
        int flags = pattern.flags();
        // Unicode case folding matches characters such as the Kelvin sign for k, which the widening does not know
        if ((flags & (Pattern.COMMENTS | Pattern.UNICODE_CHARACTER_CLASS | Pattern.CANON_EQ | Pattern.UNICODE_CASE)) != 0) {
            throw new Unsupported("flags");
        }
        Automaton inner;
        if ((flags & Pattern.LITERAL) != 0) {
            inner = literal(pattern.pattern(), (flags & Pattern.CASE_INSENSITIVE) != 0);
        } else {
            RegexSuperset t = new RegexSuperset(pattern.pattern(), (flags & Pattern.CASE_INSENSITIVE) != 0);
            inner = t.alternation();
            if (t.i < t.p.length()) {
                throw new Unsupported("unbalanced ')' at " + t.i);
            }
        }
        // no trailing .*: the filter stops at the first accepting state, so the language's suffixes need no states
        Automaton a = BasicOperations.concatenate(BasicAutomata.makeAnyString(), inner);
        a.determinize();
        return a;
    }

    private static Automaton literal(String s, boolean caseless) {
        List<Automaton> parts = new ArrayList<>();
        for (char c : s.toCharArray()) {
            parts.add(chars(new CharSet().add(c, c), caseless));
        }
        return BasicOperations.concatenate(parts);
    }

    private Automaton alternation() throws Unsupported {
        List<Automaton> alts = new ArrayList<>();
        alts.add(sequence());
        while (i < p.length() && p.charAt(i) == '|') {
            i++;
            alts.add(sequence());
        }
        return alts.size() == 1 ? alts.get(0) : BasicOperations.union(alts);
    }

    private Automaton sequence() throws Unsupported {
        List<Automaton> parts = new ArrayList<>();
        while (i < p.length() && p.charAt(i) != '|' && p.charAt(i) != ')') {
            Automaton atom = atom();
            if (atom != null) {
                parts.add(quantified(atom));
            }
        }
        return parts.isEmpty() ? BasicAutomata.makeEmptyString() : BasicOperations.concatenate(parts);
    }

    /** One atom, or null for an inline flag group that matches nothing itself. */
    private Automaton atom() throws Unsupported {
        char c = p.charAt(i++);
        switch (c) {
            case '(':
                return group();
            case '[':
                return chars(charClass(), false);
            case '.':
                return anyCodePoint();
            case '^':
            case '$':
                return BasicAutomata.makeEmptyString();
            case '\\':
                return escape();
            case '*':
            case '+':
            case '?':
            case '{':
                throw new Unsupported("dangling quantifier at " + (i - 1));
            default:
                if (Character.isHighSurrogate(c)) {
                    throw new Unsupported("a character outside the BMP");
                }
                return chars(new CharSet().add(c, c), caseless);
        }
    }

    private Automaton group() throws Unsupported {
        boolean outer = caseless;
        Automaton inner;
        if (p.startsWith("?", i)) {
            i++;
            char k = at();
            if (k == ':' || k == '>') {
                i++;
                inner = alternation();
            } else if (k == '=' || k == '!') {
                i++;
                alternation(); // read and dropped: an assertion matches the empty string
                inner = BasicAutomata.makeEmptyString();
            } else if (k == '<' && (p.startsWith("=", i + 1) || p.startsWith("!", i + 1))) {
                i += 2;
                alternation();
                inner = BasicAutomata.makeEmptyString();
            } else if (k == '<') {
                int close = p.indexOf('>', i);
                if (close < 0) {
                    throw new Unsupported("unclosed group name");
                }
                i = close + 1;
                inner = alternation();
            } else {
                // inline flags: (?i) (?-i) (?i:X) (?is-m:X)
                boolean on = true;
                boolean setI = caseless;
                while (i < p.length() && p.charAt(i) != ')' && p.charAt(i) != ':') {
                    char f = p.charAt(i++);
                    if (f == '-') {
                        on = false;
                    } else if (f == 'i') {
                        setI = on;
                    } else if ("msd".indexOf(f) < 0) {
                        throw new Unsupported("inline flag " + f);
                    }
                }
                if (i >= p.length()) {
                    throw new Unsupported("unclosed flag group");
                }
                // (?-i) would narrow: the widening keeps case folding once it was on
                boolean widened = setI || caseless;
                if (p.charAt(i++) == ')') {
                    caseless = widened;
                    return null;
                }
                caseless = widened;
                inner = alternation();
            }
        } else {
            inner = alternation();
        }
        expect(')');
        caseless = outer || caseless;
        return inner;
    }

    private Automaton quantified(Automaton atom) throws Unsupported {
        Automaton a = atom;
        while (i < p.length()) {
            char q = p.charAt(i);
            if (q == '*') {
                i++;
                a = BasicOperations.repeat(a);
            } else if (q == '+') {
                i++;
                a = BasicOperations.repeat(a, 1);
            } else if (q == '?') {
                i++;
                a = BasicOperations.optional(a);
            } else if (q == '{' && i + 1 < p.length() && Character.isDigit(p.charAt(i + 1))) {
                int close = p.indexOf('}', i);
                if (close < 0) {
                    throw new Unsupported("unclosed {");
                }
                String[] mn = p.substring(i + 1, close).split(",", -1);
                i = close + 1;
                int min = Math.min(number(mn[0]), MAX_COUNT);
                int max = mn.length == 1 ? number(mn[0]) : mn[1].isEmpty() ? -1 : number(mn[1]);
                a = max < 0 || max > MAX_COUNT ? BasicOperations.repeat(a, min) : BasicOperations.repeat(a, min, max);
            } else {
                break;
            }
            // lazy (?) and possessive (+) forms match a subset of the greedy one's strings
            if (i < p.length() && (p.charAt(i) == '?' || p.charAt(i) == '+')) {
                i++;
            }
        }
        return a;
    }

    private static int number(String s) throws Unsupported {
        try {
            return Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
            throw new Unsupported("count " + s);
        }
    }

    private Automaton escape() throws Unsupported {
        char c = next();
        switch (c) {
            case 'b': case 'B': case 'A': case 'z': case 'Z': case 'G':
                return BasicAutomata.makeEmptyString();
            case 'd': case 's': case 'w':
                return chars(named(c), false);
            case 'D': case 'S': case 'W':
                return BasicOperations.union(chars(named(Character.toLowerCase(c)).negate(), false), surrogatePair());
            case 'p': case 'P': case 'h': case 'H': case 'v': case 'V':
                if ((c == 'p' || c == 'P') && p.startsWith("{", i)) {
                    skipBraces();
                } else if (c == 'p' || c == 'P') {
                    i++;
                }
                return anyCodePoint();
            case 'R':
                return BasicOperations.repeat(anyCodePoint(), 1, 2);
            case 'X':
                return BasicOperations.repeat(anyCodePoint(), 1);
            case 'k':
                skipBraces();
                return BasicAutomata.makeAnyString();
            case 'Q': {
                int end = p.indexOf("\\E", i);
                String lit = end < 0 ? p.substring(i) : p.substring(i, end);
                i = end < 0 ? p.length() : end + 2;
                return literal(lit, caseless);
            }
            default:
                if (c >= '1' && c <= '9') {
                    while (i < p.length() && Character.isDigit(p.charAt(i))) {
                        i++;
                    }
                    return BasicAutomata.makeAnyString(); // a back-reference repeats some earlier text
                }
                char lit = escapedChar(c);
                return chars(new CharSet().add(lit, lit), caseless);
        }
    }

    /** The character an escape such as \t, \x41, \u0041, \0101, \cA or \. stands for. */
    private char escapedChar(char c) throws Unsupported {
        switch (c) {
            case 't': return '\t';
            case 'n': return '\n';
            case 'r': return '\r';
            case 'f': return '\f';
            case 'a': return '\u0007';
            case 'e': return '\u001B';
            case 'c': return (char) (next() ^ 64);
            case 'x': {
                if (p.startsWith("{", i)) {
                    int close = p.indexOf('}', i);
                    int cp = hex(p.substring(i + 1, close < 0 ? p.length() : close));
                    i = close + 1;
                    if (cp > MAX) {
                        throw new Unsupported("a character outside the BMP");
                    }
                    return (char) cp;
                }
                int v = hex(p.substring(i, Math.min(i + 2, p.length())));
                i += 2;
                return (char) v;
            }
            case 'u': {
                int v = hex(p.substring(i, Math.min(i + 4, p.length())));
                i += 4;
                return (char) v;
            }
            case '0': {
                int v = 0;
                int n = 0;
                while (n < 3 && i < p.length() && p.charAt(i) >= '0' && p.charAt(i) <= '7' && v * 8 + (p.charAt(i) - '0') <= 0377) {
                    v = v * 8 + (p.charAt(i++) - '0');
                    n++;
                }
                return (char) v;
            }
            default:
                if (Character.isLetterOrDigit(c)) {
                    throw new Unsupported("escape \\" + c);
                }
                return c;
        }
    }

    private static int hex(String s) throws Unsupported {
        try {
            return Integer.parseInt(s, 16);
        } catch (NumberFormatException e) {
            throw new Unsupported("hex escape " + s);
        }
    }

    private void skipBraces() throws Unsupported {
        int open = i;
        int close = p.indexOf(p.charAt(open) == '<' ? '>' : '}', open);
        if (close < 0) {
            throw new Unsupported("unclosed name");
        }
        i = close + 1;
    }

    /** A bracket class, after its '['. A negated class that would have to widen throws instead. */
    private CharSet charClass() throws Unsupported {
        boolean negated = p.startsWith("^", i);
        if (negated) {
            i++;
        }
        CharSet set = new CharSet();
        boolean first = true;
        while (true) {
            if (i >= p.length()) {
                throw new Unsupported("unclosed [");
            }
            char c = p.charAt(i);
            if (c == ']' && !first) {
                i++;
                break;
            }
            first = false;
            if (c == '[') {
                if (negated) {
                    throw new Unsupported("a class inside a negated class"); // the JDKs read these differently
                }
                i++;
                set.addAll(charClass());
                continue;
            }
            if (c == '&' && p.startsWith("&&", i)) {
                throw new Unsupported("class intersection");
            }
            i++;
            char lo;
            if (c == '\\') {
                char e = next();
                if ("dswDSW".indexOf(e) >= 0) {
                    CharSet n = named(Character.toLowerCase(e));
                    set.addAll(Character.isUpperCase(e) ? n.negate() : n);
                    continue;
                }
                if ("pPhHvVRX".indexOf(e) >= 0 || e == 'Q') {
                    throw new Unsupported("\\" + e + " inside a class");
                }
                lo = escapedChar(e);
            } else {
                lo = c;
            }
            if (Character.isSurrogate(lo)) {
                throw new Unsupported("a character outside the BMP");
            }
            char hi = lo;
            if (p.startsWith("-", i) && i + 1 < p.length() && p.charAt(i + 1) != ']') {
                i++;
                char h = p.charAt(i++);
                hi = h == '\\' ? escapedChar(next()) : h;
                if (hi < lo) {
                    throw new Unsupported("range out of order");
                }
            }
            set.add(lo, hi);
        }
        if (caseless) {
            set = set.withCases();
        }
        return negated ? set.negate().withSurrogatePairs() : set;
    }

    private static CharSet named(char c) {
        CharSet s = new CharSet();
        switch (c) {
            case 'd' -> s.add('0', '9');
            case 's' -> s.add(' ', ' ').add('\t', '\r'); // \t \n \x0B \f \r
            default -> s.add('a', 'z').add('A', 'Z').add('0', '9').add('_', '_');
        }
        return s;
    }

    private static Automaton chars(CharSet set, boolean caseless) {
        CharSet s = caseless ? set.withCases() : set;
        List<Automaton> ranges = new ArrayList<>();
        for (char[] r : s.ranges()) {
            ranges.add(BasicAutomata.makeCharRange(r[0], r[1]));
        }
        Automaton a = ranges.isEmpty() ? BasicAutomata.makeEmpty() : BasicOperations.union(ranges);
        return s.pairs ? BasicOperations.union(a, surrogatePair()) : a;
    }

    /** One code point: java.util.regex's '.' and negated classes take a surrogate pair as one character. */
    private static Automaton anyCodePoint() {
        return BasicOperations.union(BasicAutomata.makeAnyChar(), surrogatePair());
    }

    private static Automaton surrogatePair() {
        return BasicOperations.concatenate(BasicAutomata.makeCharRange('\uD800', '\uDBFF'),
                BasicAutomata.makeCharRange('\uDC00', '\uDFFF'));
    }

    private char at() throws Unsupported {
        if (i >= p.length()) {
            throw new Unsupported("pattern ends early");
        }
        return p.charAt(i);
    }

    private char next() throws Unsupported {
        char c = at();
        i++;
        return c;
    }

    private void expect(char c) throws Unsupported {
        if (next() != c) {
            throw new Unsupported("expected " + c + " at " + (i - 1));
        }
    }

    /** A set of characters as sorted, merged ranges; {@code pairs}: surrogate pairs belong to it too. */
    private static final class CharSet {
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
            if (from <= MAX) {
                n.add((char) from, MAX);
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
                    return out.add('\0', MAX);
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
    }
}
