package dev.medic.facts;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One way a failure shows itself: a regular expression found anywhere in a line (optionally only
 * on one stream), and/or conditions on how the attempt ended (exit codes, a signal). A signature
 * with no pattern matches on the exit status alone.
 */
public final class Signature {
    private final String failureId;
    private final int index;
    private final BudgetedRegex regex;
    private final String stream;
    private final Set<Integer> exitCodes;
    private final String signal;
    private final List<String> anchors;
    private final boolean byRule;
    private final boolean whenFailed;
    private final String name;
    private final ExceptionMatch exception;

    public Signature(String failureId, int index, String name, Pattern pattern, String stream, Set<Integer> exitCodes,
                     String signal, List<String> anchors, boolean byRule, boolean whenFailed) {
        this.name = name;
        this.byRule = byRule;
        this.whenFailed = whenFailed;
        this.failureId = failureId;
        this.index = index;
        this.regex = pattern == null ? null : BudgetedRegex.filtered(pattern);
        this.stream = stream;
        this.exitCodes = Set.copyOf(exitCodes);
        this.signal = signal;
        this.anchors = List.copyOf(anchors);
        this.exception = null;
    }

    private Signature(String failureId, int index, String name, ExceptionMatch exception, boolean whenFailed) {
        this.failureId = failureId;
        this.index = index;
        this.name = name;
        this.regex = null;
        this.stream = null;
        this.exitCodes = Set.of();
        this.signal = null;
        this.anchors = List.of();
        this.byRule = false;
        this.whenFailed = whenFailed;
        this.exception = exception;
    }

    /**
     * A catalog {@code exceptions:} entry (index {@code index}) or {@code errno:} list: it matches the
     * line that ends a Python traceback (or states an exception) when the exception fits.
     */
    public static Signature structural(String failureId, int index, String name, ExceptionMatch exception,
                                       boolean whenFailed) {
        return new Signature(failureId, index, name, exception, whenFailed);
    }

    /** True for an {@code exceptions:}/{@code errno:} signature; {@link #getException} says what it wants. */
    public boolean isStructural() {
        return exception != null;
    }

    /** The exception this structural signature wants, or null for a pattern or exit-status signature. */
    public ExceptionMatch getException() {
        return exception;
    }

    public String getFailureId() {
        return failureId;
    }

    public int getIndex() {
        return index;
    }

    /** The catalog's name for this signature (for rules to refer to), or "" when it has none. */
    public String getName() {
        return name;
    }

    /** The regular expression, or null for an exit-status-only signature. */
    public Pattern getPattern() {
        return regex == null ? null : regex.pattern();
    }

    /** "stdout", "stderr", or null for either. */
    public String getStream() {
        return stream;
    }

    public Set<Integer> getExitCodes() {
        return exitCodes;
    }

    /** A signal name such as "KILL", or null. */
    public String getSignal() {
        return signal;
    }

    /**
     * Literals of which at least one occurs in every line the pattern matches (compared in lower
     * case); empty when none could be derived. Used to screen lines before the regex runs.
     */
    public List<String> getAnchors() {
        return anchors;
    }

    public boolean hasPattern() {
        return regex != null;
    }

    /** True when the attempt's exit status has to be known before this signature counts. */
    public boolean isNeedsExit() {
        return !exitCodes.isEmpty() || signal != null || whenFailed;
    }

    /**
     * True when a match only brings the line before the rules, and a rule decides whether it is
     * evidence (by inserting a {@link Hit}).
     */
    public boolean isByRule() {
        return byRule;
    }

    /** True when the line counts only if the attempt failed (a warning a successful run may print). */
    public boolean isWhenFailed() {
        return whenFailed;
    }

    /** Group {@code n} of this signature's pattern in {@code text}, or null. */
    public String group(String text, int n) {
        java.util.regex.Matcher m = regex == null ? null : regex.find(text);
        return m != null && n <= m.groupCount() ? m.group(n) : null;
    }

    /** Group {@code n} as a number, or NaN when it is missing or not a number. */
    public double number(String text, int n) {
        String g = group(text, n);
        if (g == null) {
            return Double.NaN;
        }
        try {
            return Double.parseDouble(g.strip());
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /** True for lines of stream {@code s}; a null {@code s} (a replayed log: the stream is unknown) always applies. */
    public boolean appliesToStream(String s) {
        return stream == null || s == null || stream.equals(s);
    }

    /**
     * True when the pattern occurs in {@code text}. A match that backtracks past its budget counts
     * as no match, and is remembered (see {@link #getGaveUp}).
     */
    public boolean matchesText(String text) {
        return regex != null && regex.find(text) != null;
    }

    /**
     * False when the pattern cannot match a line of these printable ASCII bytes, found in one
     * linear pass without decoding them; true when {@link #matchesText} must decide.
     */
    public boolean mayMatchAscii(byte[] b, int off, int len) {
        return regex != null && regex.mayMatchAscii(b, off, len);
    }

    /**
     * For {@code medic check}: a short line of one character of the pattern's own, repeated, on
     * which the pattern spends its whole budget (described), or null when none does. Such a
     * pattern would give up on real lines too.
     */
    public String backtrackingProbe() {
        return regex == null ? null : regex.backtrackingProbe();
    }

    /** How many lines this signature's pattern gave up on (catastrophic backtracking). */
    public long getGaveUp() {
        return regex == null ? 0 : regex.gaveUp();
    }

    /**
     * A warning about the lines the pattern gave up on since the last call, or null when there
     * were none: the catalog author must hear that a pattern is too slow to be trusted.
     */
    public String takeGaveUpWarning() {
        return regex == null ? null : regex.takeGaveUpWarning(describe() + (name.isEmpty() ? "" : " (" + name + ")"));
    }

    public boolean acceptsExit(Attempt a) {
        if (!a.isFinished()) {
            return false;
        }
        if (whenFailed && !a.isFailed()) {
            return false;
        }
        if (exitCodes.isEmpty() && signal == null) {
            return true;
        }
        boolean codeOk = exitCodes.isEmpty() || (a.getExitCode() != null && exitCodes.contains(a.getExitCode()));
        boolean signalOk = signal == null || signal.equals(a.getSignal());
        if (!exitCodes.isEmpty() && signal != null) {
            // either condition describes the same death (137 or SIGKILL)
            return (a.getExitCode() != null && exitCodes.contains(a.getExitCode())) || signal.equals(a.getSignal());
        }
        return codeOk && signalOk;
    }

    public String describe() {
        StringBuilder b = new StringBuilder(failureId).append(exception != null ? ".exceptions[" : ".signatures[")
                .append(index).append(']');
        return b.toString();
    }

    @Override
    public String toString() {
        return describe() + (regex == null ? "" : " /" + regex.pattern().pattern() + "/");
    }
}
