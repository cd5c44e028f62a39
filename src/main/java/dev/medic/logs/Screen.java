package dev.medic.logs;

import dev.medic.facts.Signature;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;

/**
 * Decides, in plain Java, which lines the rule session needs to see: a line is a candidate when
 * one of the catalog's signatures matches it. Literal anchors are checked before any regex runs,
 * because java.util.regex has no DFA and most lines match nothing.
 */
public final class Screen {
    private final List<Signature> anchored = new ArrayList<>();
    /** For each anchored signature, its anchors as indexes into the automaton's literals. */
    private final List<int[]> anchorIds = new ArrayList<>();
    private final List<Signature> unanchored = new ArrayList<>();
    private final AnchorAutomaton automaton;
    private final int literalCount;
    private final List<Signature> structural = new ArrayList<>();
    /** Signatures with an anchor outside ASCII (a shell's "Killed" in another language), and those anchors' bytes. */
    private final List<Signature> byteAnchored = new ArrayList<>();
    private final List<byte[]> byteAnchors = new ArrayList<>();
    /** The byte pairs that begin an anchor's first non-ASCII character (a bit each), and the anchors (index, offset) per pair. */
    private final long[] pairBits = new long[1 << 10];
    /** For each literal, the anchored signatures (indexes into {@code anchored}) it is an anchor of; null for none. */
    private final int[][] signaturesOf;
    /** The same for the ASCII anchors of {@code byteAnchored} signatures (indexes into it). */
    private final int[][] byteSignaturesOf;
    private final java.util.Map<Integer, List<int[]>> byPair = new java.util.HashMap<>();

    public Screen(List<Signature> signatures) {
        List<String> literals = new ArrayList<>();
        List<int[]> byteSignatureLiterals = new ArrayList<>();
        for (Signature s : signatures) {
            if (s.isStructural()) {
                structural.add(s);
            }
            if (!s.hasPattern()) {
                continue;
            }
            // the byte screen folds ASCII case only: a non-ASCII anchor is looked for as its UTF-8 bytes
            boolean ascii = !s.getAnchors().isEmpty() && s.getAnchors().stream().allMatch(a -> a.chars().allMatch(c -> c < 128));
            if (!ascii && !s.getAnchors().isEmpty()) {
                byteAnchored.add(s);
                for (String a : s.getAnchors()) {
                    if (a.chars().allMatch(c -> c < 128)) {
                        byteSignatureLiterals.add(new int[] {byteAnchored.size() - 1, literals.size()});
                        literals.add(a); // passes the byte screen; match() decides which signature
                    } else {
                        addByteAnchor(a.getBytes(StandardCharsets.UTF_8));
                    }
                }
                continue;
            }
            (ascii ? anchored : unanchored).add(s);
            if (ascii) {
                int[] ids = new int[s.getAnchors().size()];
                for (int i = 0; i < ids.length; i++) {
                    ids[i] = literals.size();
                    literals.add(s.getAnchors().get(i));
                }
                anchorIds.add(ids);
            }
        }
        if (!structural.isEmpty()) {
            // the lines a traceback is read from pass the byte screen too; no signature owns these literals
            literals.addAll(Tracebacks.ANCHORS);
        }
        literalCount = literals.size();
        automaton = new AnchorAutomaton(literals);
        signaturesOf = new int[literalCount][];
        byteSignaturesOf = new int[literalCount][];
        for (int[] kl : byteSignatureLiterals) {
            byteSignaturesOf[kl[1]] = new int[] {kl[0]};
        }
        for (int k = 0; k < anchorIds.size(); k++) {
            for (int id : anchorIds.get(k)) {
                int[] had = signaturesOf[id] == null ? new int[0] : signaturesOf[id];
                int[] more = java.util.Arrays.copyOf(had, had.length + 1);
                more[had.length] = k;
                signaturesOf[id] = more;
            }
        }
    }

    /** Every literal a line is screened with (lower case; those outside ASCII compared byte for byte). */
    public List<String> anchors() {
        List<String> out = new ArrayList<>();
        for (Signature s : anchored) {
            out.addAll(s.getAnchors());
        }
        for (Signature s : byteAnchored) {
            out.addAll(s.getAnchors());
        }
        if (!structural.isEmpty()) {
            out.addAll(Tracebacks.ANCHORS);
        }
        return out.stream().distinct().sorted().toList();
    }

    /**
     * A reader of the Python exceptions in one attempt's lines, for the catalog's structural
     * signatures: it keeps state across lines, so each attempt (or saved log) needs its own.
     */
    public ExceptionReader exceptionReader() {
        return new ExceptionReader(structural);
    }

    /**
     * The fast first look at a raw line: false means no signature can match it, so it need not
     * even be decoded. True means {@link #match} must decide.
     */
    public boolean mayMatch(byte[] b, int off, int len) {
        if (!unanchored.isEmpty()) {
            return true;
        }
        int at = automaton.firstHit(b, off, len, pairBits);
        if (at < 0) {
            return false;
        }
        if (b[at] >= 0) {
            return true; // a literal, or an escape character
        }
        // a pair that begins a non-ASCII anchor: the anchor itself, or a literal further on
        return hasByteAnchor(b, off, len) || automaton.find(b, at + 1, off + len - at - 1);
    }

    /**
     * The whole screen of a saved line, for the threads that read a log ahead of its reader: null
     * for a line no reader needs, else the signatures {@link #match} finds on it (as a line of
     * either stream), empty when only the Python traceback reader needs it. A line of printable
     * ASCII, as most are, is judged on its bytes, and decoded only when a signature's linear filter
     * passes it. Each pattern runs once a line. Safe to call from several threads.
     */
    public List<Signature> screened(byte[] b, int off, int len) {
        if (!mayMatch(b, off, len)) {
            return null;
        }
        if (printableAscii(b, off, len) && !anyFilterPasses(b, off, len)) {
            // no signature can match: only the traceback reader may want it
            return !structural.isEmpty() && Tracebacks.mayRead(new String(b, off, len, StandardCharsets.US_ASCII)) ? List.of() : null;
        }
        String text = Ansi.strip(new String(b, off, len, StandardCharsets.UTF_8));
        List<Signature> hits = match(text, null);
        return !hits.isEmpty() || !structural.isEmpty() && Tracebacks.mayRead(text) ? hits : null;
    }

    private static boolean printableAscii(byte[] b, int off, int len) {
        for (int i = off, end = off + len; i < end; i++) {
            byte c = b[i];
            if ((c < 0x20 || c == 0x7F) && c != '\t') {
                return false; // outside ASCII (negative), or a control Ansi.strip would remove
            }
        }
        return true;
    }

    /** For a line of printable ASCII: true when a signature whose anchor it holds, or one without anchors, may match it. */
    private boolean anyFilterPasses(byte[] b, int off, int len) {
        for (Signature s : unanchored) {
            if (s.mayMatchAscii(b, off, len)) {
                return true;
            }
        }
        boolean[] present = new boolean[literalCount];
        if (!automaton.markPresent(b, off, len, present)) {
            return false;
        }
        for (int id = 0; id < literalCount; id++) {
            if (present[id] && (passes(signaturesOf[id], anchored, b, off, len) || passes(byteSignaturesOf[id], byteAnchored, b, off, len))) {
                return true;
            }
        }
        return false;
    }

    private static boolean passes(int[] which, List<Signature> of, byte[] b, int off, int len) {
        if (which != null) {
            for (int k : which) {
                if (of.get(k).mayMatchAscii(b, off, len)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * True when the line holds one of the non-ASCII anchors, byte for byte. One pass: only at a
     * byte outside ASCII whose pair with the next byte begins some anchor's first non-ASCII
     * character is an anchor compared (a progress bar's blocks begin none).
     */
    private boolean hasByteAnchor(byte[] b, int off, int len) {
        int end = off + len;
        for (int i = off; i < end - 1; i++) {
            if (b[i] >= 0) {
                continue;
            }
            int pair = (b[i] & 0xFF) << 8 | (b[i + 1] & 0xFF);
            if ((pairBits[pair >>> 6] & 1L << pair) == 0) {
                continue;
            }
            for (int[] at : byPair.get(pair)) {
                byte[] a = byteAnchors.get(at[0]);
                int from = i - at[1];
                if (from >= off && from + a.length <= end && java.util.Arrays.equals(b, from, from + a.length, a, 0, a.length)) {
                    return true;
                }
            }
        }
        return false;
    }

    private void addByteAnchor(byte[] a) {
        int k = 0;
        while (k < a.length && a[k] >= 0) {
            k++;
        }
        // a character outside ASCII is two bytes or more in UTF-8
        int pair = (a[k] & 0xFF) << 8 | (a[k + 1] & 0xFF);
        pairBits[pair >>> 6] |= 1L << pair;
        byPair.computeIfAbsent(pair, x -> new ArrayList<>()).add(new int[] {byteAnchors.size(), k});
        byteAnchors.add(a);
    }

    /** Signatures with a pattern but no literal anchor: they run on every line. */
    public List<Signature> unanchored() {
        return List.copyOf(unanchored);
    }

    /** The signatures whose pattern matches this line of this stream; empty for most lines. */
    public List<Signature> match(String text, String stream) {
        List<Signature> hits = null;
        if (!anchored.isEmpty()) {
            // which anchors the line holds, found in one pass; only their signatures are tried, in catalog order
            boolean[] present = new boolean[literalCount];
            if (automaton.markPresent(text, present)) {
                BitSet tried = new BitSet(anchored.size());
                for (int id = 0; id < literalCount; id++) {
                    if (present[id] && signaturesOf[id] != null) {
                        for (int k : signaturesOf[id]) {
                            tried.set(k);
                        }
                    }
                }
                for (int k = tried.nextSetBit(0); k >= 0; k = tried.nextSetBit(k + 1)) {
                    Signature s = anchored.get(k);
                    if (s.appliesToStream(stream) && s.matchesText(text)) {
                        if (hits == null) {
                            hits = new ArrayList<>(2);
                        }
                        hits.add(s);
                    }
                }
            }
        }
        String lower = byteAnchored.isEmpty() ? null : text.toLowerCase(Locale.ROOT);
        for (Signature s : byteAnchored) {
            if (s.appliesToStream(stream) && s.getAnchors().stream().anyMatch(lower::contains) && s.matchesText(text)) {
                if (hits == null) {
                    hits = new ArrayList<>(2);
                }
                hits.add(s);
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

}
