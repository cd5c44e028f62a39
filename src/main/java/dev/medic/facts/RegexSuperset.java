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
            inner = CharSet.literal(pattern.pattern(), (flags & Pattern.CASE_INSENSITIVE) != 0);
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
                return CharSet.chars(charClass(), false);
            case '.':
                return CharSet.anyCodePoint();
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
                return CharSet.chars(new CharSet().add(c, c), caseless);
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
                int min = Math.min(parse(mn[0], 10), MAX_COUNT);
                int max = mn.length == 1 ? parse(mn[0], 10) : mn[1].isEmpty() ? -1 : parse(mn[1], 10);
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

    private Automaton escape() throws Unsupported {
        char c = next();
        switch (c) {
            case 'b': case 'B': case 'A': case 'z': case 'Z': case 'G':
                return BasicAutomata.makeEmptyString();
            case 'd': case 's': case 'w':
                return CharSet.chars(CharSet.named(c), false);
            case 'D': case 'S': case 'W':
                return BasicOperations.union(CharSet.chars(CharSet.named(Character.toLowerCase(c)).negate(), false), CharSet.surrogatePair());
            case 'p': case 'P': case 'h': case 'H': case 'v': case 'V':
                if ((c == 'p' || c == 'P') && p.startsWith("{", i)) {
                    skipBraces();
                } else if (c == 'p' || c == 'P') {
                    i++;
                }
                return CharSet.anyCodePoint();
            case 'R':
                return BasicOperations.repeat(CharSet.anyCodePoint(), 1, 2);
            case 'X':
                return BasicOperations.repeat(CharSet.anyCodePoint(), 1);
            case 'k':
                skipBraces();
                return BasicAutomata.makeAnyString();
            case 'Q': {
                int end = p.indexOf("\\E", i);
                String lit = end < 0 ? p.substring(i) : p.substring(i, end);
                i = end < 0 ? p.length() : end + 2;
                return CharSet.literal(lit, caseless);
            }
            default:
                if (c >= '1' && c <= '9') {
                    while (i < p.length() && Character.isDigit(p.charAt(i))) {
                        i++;
                    }
                    return BasicAutomata.makeAnyString(); // a back-reference repeats some earlier text
                }
                char lit = escapedChar(c);
                return CharSet.chars(new CharSet().add(lit, lit), caseless);
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
                    int cp = parse(p.substring(i + 1, close < 0 ? p.length() : close), 16);
                    i = close + 1;
                    if (cp > Character.MAX_VALUE) {
                        throw new Unsupported("a character outside the BMP");
                    }
                    return (char) cp;
                }
                int v = parse(p.substring(i, Math.min(i + 2, p.length())), 16);
                i += 2;
                return (char) v;
            }
            case 'u': {
                int v = parse(p.substring(i, Math.min(i + 4, p.length())), 16);
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

    /** {@code s} as a number in {@code radix}: a count (10) or a character's code (16). */
    private static int parse(String s, int radix) throws Unsupported {
        try {
            return Integer.parseInt(s.strip(), radix);
        } catch (NumberFormatException e) {
            throw new Unsupported("number " + s);
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
                    CharSet n = CharSet.named(Character.toLowerCase(e));
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
}
