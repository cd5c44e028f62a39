package dev.medic.facts;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A catalog regular expression that searches each line within a budget (see {@link BoundedText}),
 * and counts the lines it gave up on, so that one pattern that backtracks catastrophically costs
 * a bounded time per line and its author still hears about it. A {@link #filtered} one first
 * passes the line through a linear-time automaton ({@link LinearFilter}) that rejects most lines
 * the pattern cannot match, so the backtracking engine and its budget are paid for only on the
 * few lines that may match.
 */
public final class BudgetedRegex {
    private final Pattern pattern;
    private final boolean anchored;
    private final AtomicLong gaveUp = new AtomicLong();
    private final AtomicLong reportedGaveUp = new AtomicLong();
    private volatile int lastGaveUpLength;
    /** Built on the first search: most patterns never see a line that holds their anchor. */
    private volatile Object filter;
    private static final Object NO_FILTER = new Object();

    /** Without a linear filter: for patterns that run only on lines already known to be of their kind. */
    public BudgetedRegex(Pattern pattern) {
        this(pattern, false);
    }

    private BudgetedRegex(Pattern pattern, boolean filtered) {
        this.pattern = pattern;
        this.anchored = startsAnchored(pattern);
        if (!filtered) {
            filter = NO_FILTER;
        }
    }

    /**
     * With a linear filter ({@link LinearFilter}), built on the first search: for a catalog
     * signature, which sees every line that holds one of its anchors, most of them near misses.
     */
    public static BudgetedRegex filtered(Pattern pattern) {
        return new BudgetedRegex(pattern, true);
    }

    public Pattern pattern() {
        return pattern;
    }

    /**
     * A matcher on the first match in {@code text}, or null when there is none. A search that
     * spends its budget counts as no match, and is remembered (see {@link #gaveUp}).
     */
    public Matcher find(String text) {
        if (!filter().mayMatch(text)) {
            return null;
        }
        Matcher m = pattern.matcher(BoundedText.of(text));
        try {
            // find() would try a pattern that starts with ^ at every position of the line, in vain
            return (anchored ? m.lookingAt() : m.find()) ? m : null;
        } catch (BoundedText.Exhausted | StackOverflowError e) {
            // java.util.regex recurses once a repetition of a group: a long line can overflow the stack
            gaveUp.incrementAndGet();
            lastGaveUpLength = text.length();
            return null;
        }
    }

    /** False when the pattern cannot match a line of these printable ASCII bytes; true says only "perhaps". */
    public boolean mayMatchAscii(byte[] b, int off, int len) {
        return filter().mayMatchAscii(b, off, len);
    }

    private LinearFilter filter() {
        Object f = filter;
        if (f == null) {
            // two threads may both build it: the same pattern gives the same filter
            LinearFilter built = LinearFilter.cached(pattern);
            f = built == null ? NO_FILTER : built;
            filter = f;
        }
        return f == NO_FILTER ? LinearFilter.ALL : (LinearFilter) f;
    }

    /** True when a linear-time filter runs before the pattern (false: the pattern has no safe widening). */
    public boolean hasFilter() {
        return filter() != LinearFilter.ALL;
    }

    /**
     * True when every match starts at the start of the line: the expression begins with {@code ^}
     * (after inline flags, none of them MULTILINE) and has no top-level alternative.
     */
    static boolean startsAnchored(Pattern pattern) {
        String r = pattern.pattern();
        if ((pattern.flags() & Pattern.MULTILINE) != 0) {
            return false;
        }
        int i = 0;
        for (int close; r.startsWith("(?", i) && (close = r.indexOf(')', i)) > 0
                && r.substring(i + 2, close).matches("[a-zA-Z-]*"); i = close + 1) {
            if (r.substring(i + 2, close).contains("m")) {
                return false;
            }
        }
        if (!r.startsWith("^", i)) {
            return false;
        }
        int depth = 0;
        boolean inClass = false;
        for (i++; i < r.length(); i++) {
            char c = r.charAt(i);
            if (c == '\\') {
                int quote = r.startsWith("Q", i + 1) ? r.indexOf("\\E", i + 2) : -1;
                i = r.startsWith("Q", i + 1) ? (quote < 0 ? r.length() : quote + 1) : i + 1;
            } else if (inClass) {
                inClass = c != ']';
            } else if (c == '[') {
                inClass = true;
                i += r.startsWith("]", i + 1) ? 1 : r.startsWith("^]", i + 1) ? 2 : 0;
            } else if (c == '(' || c == ')') {
                depth += c == '(' ? 1 : -1;
            } else if (c == '|' && depth == 0) {
                return false;
            }
        }
        return true;
    }

    /** How many lines the search gave up on. */
    public long gaveUp() {
        return gaveUp.get();
    }

    /**
     * A warning about the lines given up on since the last call, or null when there were none.
     *
     * @param what how the warning names the pattern, e.g. "cuda_oom.signatures[2]"
     */
    public String takeGaveUpWarning(String what) {
        long now = gaveUp.get();
        long before = reportedGaveUp.getAndSet(now);
        if (now == before) {
            return null;
        }
        return "catalog pattern " + what + " gave up on " + (now - before) + " line(s) (the last "
                + lastGaveUpLength + " characters long): it backtracks catastrophically, so those lines were not matched; rewrite it";
    }

    /**
     * For {@code medic check}: a short line of one character of the pattern's own, repeated, on
     * which the pattern spends its whole budget (described), or null when none does. Such a
     * pattern would give up on real lines too.
     */
    public String backtrackingProbe() {
        Set<Character> tried = new HashSet<>();
        for (char c : pattern.pattern().toCharArray()) {
            if (c < ' ' || !tried.add(c)) {
                continue;
            }
            String line = String.valueOf(c).repeat(256) + "\u0001";
            try {
                pattern.matcher(BoundedText.of(line)).find();
            } catch (BoundedText.Exhausted e) {
                return "a line of 256 '" + c + "'";
            }
        }
        return null;
    }
}
