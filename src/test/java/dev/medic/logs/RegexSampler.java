package dev.medic.logs;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.IntPredicate;

/**
 * Writes random one-line strings that a catalog pattern probably matches, so that property tests
 * can put the screen's anchors to the test on lines that matter (random text matches nothing).
 * It knows the java.util.regex syntax the catalog uses: literals, escapes, classes, groups,
 * alternation, quantifiers; lookarounds, boundaries and inline flags emit nothing, so a sample
 * may not match: callers compare against the pattern itself, never assume a match.
 */
public final class RegexSampler {
    /** Characters samples are drawn from: printable ASCII, a tab, and a few non-ASCII ones (the Kelvin sign folds to 'k'). */
    private static final String ALPHABET;

    static {
        StringBuilder b = new StringBuilder("\t");
        for (char c = 0x20; c < 0x7f; c++) {
            b.append(c);
        }
        ALPHABET = b.append("é߀ſ\u212Aı").toString();
    }

    private interface Node {
        void emit(StringBuilder out, Random r);
    }

    private static final Node EMPTY = (out, r) -> {
    };

    private final String p;
    private int i;

    private RegexSampler(String pattern) {
        this.p = pattern;
    }

    /** A string built by walking {@code pattern} with random choices. */
    public static String sample(String pattern, Random r) {
        RegexSampler s = new RegexSampler(pattern);
        Node n = s.alternation();
        StringBuilder out = new StringBuilder();
        n.emit(out, r);
        return out.toString();
    }

    /** A random character of the sampling alphabet that {@code accepts} admits, or 'x' when none does. */
    static char pick(IntPredicate accepts, Random r) {
        List<Character> ok = new ArrayList<>();
        for (char c : ALPHABET.toCharArray()) {
            if (accepts.test(c)) {
                ok.add(c);
            }
        }
        return ok.isEmpty() ? 'x' : ok.get(r.nextInt(ok.size()));
    }

    private Node alternation() {
        List<Node> alts = new ArrayList<>();
        alts.add(sequence());
        while (i < p.length() && p.charAt(i) == '|') {
            i++;
            alts.add(sequence());
        }
        return alts.size() == 1 ? alts.get(0) : (out, r) -> alts.get(r.nextInt(alts.size())).emit(out, r);
    }

    private Node sequence() {
        List<Node> parts = new ArrayList<>();
        while (i < p.length() && p.charAt(i) != '|' && p.charAt(i) != ')') {
            parts.add(quantified(atom()));
        }
        return (out, r) -> parts.forEach(n -> n.emit(out, r));
    }

    private Node quantified(Node atom) {
        if (i >= p.length()) {
            return atom;
        }
        int min;
        int max;
        char q = p.charAt(i);
        if (q == '?') {
            min = 0;
            max = 1;
            i++;
        } else if (q == '*') {
            min = 0;
            max = 3;
            i++;
        } else if (q == '+') {
            min = 1;
            max = 4;
            i++;
        } else if (q == '{' && p.indexOf('}', i) > 0 && p.substring(i + 1, p.indexOf('}', i)).matches("\\d+(,\\d*)?")) {
            String[] mm = p.substring(i + 1, p.indexOf('}', i)).split(",", -1);
            min = Integer.parseInt(mm[0]);
            max = mm.length == 1 ? min : mm[1].isEmpty() ? min + 3 : Integer.parseInt(mm[1]);
            i = p.indexOf('}', i) + 1;
        } else {
            return atom;
        }
        if (i < p.length() && (p.charAt(i) == '?' || p.charAt(i) == '+')) {
            i++;
        }
        int lo = min;
        int hi = Math.min(max, min + 3);
        return (out, r) -> {
            int n = lo + r.nextInt(hi - lo + 1);
            for (int k = 0; k < n; k++) {
                atom.emit(out, r);
            }
        };
    }

    private Node atom() {
        char c = p.charAt(i++);
        switch (c) {
            case '(':
                return group();
            case '[':
                IntPredicate cls = charClass();
                return (out, r) -> out.append(pick(cls, r));
            case '.':
                return (out, r) -> out.append(pick(x -> x != '\n', r));
            case '^':
            case '$':
                return EMPTY;
            case '\\':
                return escape();
            default:
                return (out, r) -> out.append(c);
        }
    }

    private Node group() {
        boolean silent = false;
        if (p.startsWith("?", i)) {
            if (p.startsWith("?:", i) || p.startsWith("?>", i)) {
                i += 2;
            } else if (p.startsWith("?=", i) || p.startsWith("?!", i)) {
                i += 2;
                silent = true;
            } else if (p.startsWith("?<=", i) || p.startsWith("?<!", i)) {
                i += 3;
                silent = true;
            } else if (p.startsWith("?<", i)) {
                i = p.indexOf('>', i) + 1;
            } else {
                // inline flags: (?i) applies to the rest, (?i:X) to X; case is varied by the caller anyway
                int j = i + 1;
                while (j < p.length() && p.charAt(j) != ')' && p.charAt(j) != ':') {
                    j++;
                }
                i = j + 1;
                if (j < p.length() && p.charAt(j) == ')') {
                    return EMPTY;
                }
            }
        }
        Node inner = alternation();
        i++; // ')'
        return silent ? EMPTY : inner;
    }

    private Node escape() {
        char e = p.charAt(i++);
        IntPredicate cls = classEscape(e);
        if (cls != null) {
            return (out, r) -> out.append(pick(cls, r));
        }
        switch (e) {
            case 'b':
            case 'B':
            case 'A':
            case 'z':
            case 'Z':
            case 'G':
                return EMPTY;
            case 'Q': {
                int end = p.indexOf("\\E", i);
                String quoted = end < 0 ? p.substring(i) : p.substring(i, end);
                i = end < 0 ? p.length() : end + 2;
                return (out, r) -> out.append(quoted);
            }
            default:
                if (Character.isDigit(e)) {
                    return EMPTY; // a back reference: rare in the catalog, and the caller checks the real pattern
                }
                char lit = literalEscape(e);
                return (out, r) -> out.append(lit);
        }
    }

    /** {@code \d \w \s} and their negations, as sampled: whitespace is a space or a tab, never a line break. */
    private static IntPredicate classEscape(char e) {
        IntPredicate digit = c -> c >= '0' && c <= '9';
        IntPredicate word = c -> Character.isLetterOrDigit(c) && c < 128 || c == '_';
        IntPredicate space = c -> c == ' ' || c == '\t';
        switch (e) {
            case 'd':
                return digit;
            case 'D':
                return digit.negate();
            case 'w':
                return word;
            case 'W':
                return word.negate();
            case 's':
                return space;
            case 'S':
                return space.negate();
            default:
                return null;
        }
    }

    private static char literalEscape(char e) {
        switch (e) {
            case 't':
                return '\t';
            case 'n':
            case 'r':
                return ' ';
            default:
                return e;
        }
    }

    /** A bracket class, {@code i} just past its '['. */
    private IntPredicate charClass() {
        boolean negated = p.charAt(i) == '^';
        if (negated) {
            i++;
        }
        IntPredicate in = c -> false;
        boolean first = true;
        while (i < p.length() && (p.charAt(i) != ']' || first)) {
            first = false;
            char c = p.charAt(i++);
            if (c == '\\') {
                char e = p.charAt(i++);
                IntPredicate esc = classEscape(e);
                if (esc != null) {
                    in = in.or(esc);
                    continue;
                }
                c = literalEscape(e);
            }
            if (i + 1 < p.length() && p.charAt(i) == '-' && p.charAt(i + 1) != ']') {
                char hi = p.charAt(i + 1) == '\\' ? literalEscape(p.charAt(i + 2)) : p.charAt(i + 1);
                i += p.charAt(i + 1) == '\\' ? 3 : 2;
                char lo = c;
                in = in.or(x -> x >= lo && x <= hi);
            } else {
                char only = c;
                in = in.or(x -> x == only);
            }
        }
        i++; // ']'
        return negated ? in.negate() : in;
    }
}
