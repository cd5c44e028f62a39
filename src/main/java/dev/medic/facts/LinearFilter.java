package dev.medic.facts;

import dk.brics.automaton.Automaton;
import dk.brics.automaton.RunAutomaton;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * A deterministic automaton that rejects, in one pass and one table lookup per character, the
 * lines a pattern cannot match ({@link RegexSuperset}): java.util.regex tries the pattern at
 * every position of a line, and backtracks, so on the many lines that hold a pattern's anchor
 * only inside another word ({@code nan} in nanoGPT, {@code error} in a metric's name) the
 * automaton answers in a fraction of the time. A line it passes goes to the pattern itself.
 */
final class LinearFilter {
    private static final int ASCII = 128;
    /** Past this many states a pattern keeps no filter: building and holding the automaton would cost more than it saves. */
    static final int MAX_STATES = 4000;

    /** Passes every line: for a pattern that has no filter. */
    static final LinearFilter ALL = new LinearFilter();

    private final RunAutomaton run;
    /**
     * {@code [row + c]} for an ASCII character c in the state whose row is {@code row} (its number
     * times 128): the next state's row; {@link #ACCEPTED} once a prefix of the line ends with
     * something the pattern's superset matches (the line then contains it), {@link #DEAD} where
     * no match can follow.
     */
    private final int[] ascii;
    private final boolean[] accept;
    private final int initialRow;
    static final int ACCEPTED = -1;
    static final int DEAD = -2;

    private LinearFilter(RunAutomaton run) {
        this.run = run;
        int n = run.getSize();
        ascii = new int[n * ASCII];
        accept = new boolean[n];
        for (int s = 0; s < n; s++) {
            accept[s] = run.isAccept(s);
        }
        for (int s = 0; s < n; s++) {
            for (int c = 0; c < ASCII; c++) {
                int t = run.step(s, (char) c);
                ascii[s * ASCII + c] = t < 0 ? DEAD : accept[t] ? ACCEPTED : t * ASCII;
            }
        }
        int initial = run.getInitialState();
        initialRow = accept[initial] ? ACCEPTED : initial * ASCII;
    }

    private LinearFilter() {
        run = null;
        ascii = new int[0];
        accept = new boolean[0];
        initialRow = ACCEPTED;
    }

    /**
     * Filters by pattern and flags: a run reloads its catalog at every attempt, and the same
     * patterns should not be translated again (a few ms each, on the thread that reads the output).
     */
    private static final Map<String, Optional<LinearFilter>> BUILT = new ConcurrentHashMap<>();
    private static final int MAX_BUILT = 4096;

    /** {@link #of}, remembered for the life of the process. */
    static LinearFilter cached(Pattern pattern) {
        String key = pattern.flags() + "/" + pattern.pattern();
        Optional<LinearFilter> f = BUILT.get(key);
        if (f == null) {
            if (BUILT.size() >= MAX_BUILT) {
                BUILT.clear(); // catalogs edited without end: start over rather than grow
            }
            f = Optional.ofNullable(of(pattern));
            BUILT.putIfAbsent(key, f);
        }
        return f.orElse(null);
    }

    /** The filter of {@code pattern}, or null when it cannot have one (see {@link RegexSuperset}). */
    static LinearFilter of(Pattern pattern) {
        try {
            Automaton a = RegexSuperset.containing(pattern);
            if (a.getNumberOfStates() > MAX_STATES) {
                return null;
            }
            return new LinearFilter(new RunAutomaton(a));
        } catch (RegexSuperset.Unsupported | RuntimeException | StackOverflowError e) {
            return null;
        }
    }

    /** False when the pattern cannot match anywhere in {@code text}. */
    boolean mayMatch(String text) {
        int row = initialRow;
        for (int k = 0, n = text.length(); k < n && row >= 0; k++) {
            char c = text.charAt(k);
            if (c < ASCII) {
                row = ascii[row + c];
            } else {
                int t = run.step(row / ASCII, c);
                row = t < 0 ? DEAD : accept[t] ? ACCEPTED : t * ASCII;
            }
        }
        return row == ACCEPTED || row >= 0 && accept[row / ASCII];
    }

    /**
     * {@link #mayMatch(String)} for a line of printable ASCII bytes (as {@code new String(b, off,
     * len, US_ASCII)}), without decoding it.
     */
    boolean mayMatchAscii(byte[] b, int off, int len) {
        int row = initialRow;
        for (int k = off, end = off + len; k < end && row >= 0; k++) {
            row = ascii[row + b[k]];
        }
        return row == ACCEPTED || row >= 0 && accept[row / ASCII];
    }
}
