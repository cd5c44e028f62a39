package dev.medic.progress;

import dev.medic.logs.AnchorAutomaton;
import dev.medic.logs.Ansi;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads progress (step, epoch, loss, learning rate, rate) from single lines of a run's output,
 * with the catalog's {@code progress:} patterns. The patterns are tried in order and the first
 * that matches (and whose {@code unless} does not find the line) gives the line's progress, unless
 * an {@code ignore} expression finds the line: a bar that loads checkpoint shards or downloads a
 * file is not training progress.
 *
 * <p>Most lines are not progress: a line is first screened for the patterns' literal anchors in
 * one pass, and a pattern's regex runs only when one of its own anchors is in the line. Every
 * regex searches within a budget, so a pattern that backtracks catastrophically cannot stall the
 * reader. Safe for concurrent use.
 */
public final class ProgressParser {
    private static final ProgressParser NONE = new ProgressParser(List.of(), List.of());

    private final List<ProgressPattern> patterns;
    private final List<LineFilter> ignore;
    private final AnchorAutomaton screen;
    /** Each pattern's group in {@link #screen}, or -1 for one screened by {@link ProgressPattern#mayMatch}. */
    private final int[] screenGroup;
    private final boolean screenAll;

    /**
     * @param patterns tried in this order
     * @param ignore   lines any of these match are not progress, whatever a pattern reads in them
     */
    public ProgressParser(List<ProgressPattern> patterns, List<LineFilter> ignore) {
        this.patterns = List.copyOf(patterns);
        this.ignore = List.copyOf(ignore);
        List<List<String>> groups = new ArrayList<>();
        this.screenGroup = new int[this.patterns.size()];
        boolean all = false;
        for (int i = 0; i < screenGroup.length; i++) {
            ProgressPattern p = this.patterns.get(i);
            // the automaton tells up to 64 groups apart; a pattern beyond is screened by its own anchors
            boolean grouped = p.screenable() && groups.size() < Long.SIZE;
            screenGroup[i] = grouped ? groups.size() : -1;
            if (grouped) {
                groups.add(p.anchors());
            } else {
                all = true;
            }
        }
        this.screen = AnchorAutomaton.grouped(groups);
        this.screenAll = all;
    }

    /** A parser that finds no progress (a catalog without a {@code progress:} section). */
    public static ProgressParser none() {
        return NONE;
    }

    public List<ProgressPattern> patterns() {
        return patterns;
    }

    public List<LineFilter> ignore() {
        return ignore;
    }

    /** Patterns without an ASCII anchor to screen lines with: their regex runs on every line. */
    public List<ProgressPattern> unanchored() {
        return patterns.stream().filter(p -> !p.screenable()).toList();
    }

    /**
     * The fast first look at a raw line (its bytes, without the line end): false means no pattern
     * can match it, so it need not be decoded. True means {@link #parse} must decide.
     */
    public boolean mayMatch(byte[] b, int off, int len) {
        return screenAll || screen.find(b, off, len);
    }

    /**
     * The progress one line of output gives, or null when it gives none. The line is one line as
     * the log splitter cuts them (a {@code \r} redraw of a bar is a line of its own); terminal
     * escape codes are removed first.
     */
    public Progress parse(String line) {
        String text = Ansi.strip(line);
        long present = screen.groupsIn(text);
        if (present == 0 && !screenAll) {
            return null;
        }
        String lower = null;
        for (int i = 0; i < screenGroup.length; i++) {
            ProgressPattern p = patterns.get(i);
            int g = screenGroup[i];
            if (g >= 0 ? (present & 1L << g) == 0 : !p.mayMatch(lower != null ? lower : (lower = text.toLowerCase(Locale.ROOT)))) {
                continue;
            }
            Progress found = p.read(text);
            if (found == null) {
                continue;
            }
            lower = lower != null ? lower : text.toLowerCase(Locale.ROOT);
            if (p.unless() != null && p.unless().finds(text, lower)) {
                continue;
            }
            return ignored(text, lower) ? null : found;
        }
        return null;
    }

    private boolean ignored(String text, String lower) {
        for (LineFilter f : ignore) {
            if (f.finds(text, lower)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Warnings about patterns that gave up on lines (they backtrack catastrophically) since the
     * last call; empty when none did.
     */
    public List<String> takeGaveUpWarnings() {
        List<String> out = new ArrayList<>();
        for (ProgressPattern p : patterns) {
            out.addAll(p.takeGaveUpWarnings());
        }
        for (LineFilter f : ignore) {
            String w = f.takeGaveUpWarning();
            if (w != null) {
                out.add(w);
            }
        }
        return out;
    }
}
