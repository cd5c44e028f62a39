package dev.medic.logs;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Finds whether any of a set of ASCII literals occurs in a line of raw bytes, ignoring ASCII case,
 * in one pass (Aho-Corasick compiled to a table: one lookup per byte). Most lines match nothing,
 * so the screen rejects them without decoding them to text.
 */
public final class AnchorAutomaton {
    private static final int ALPHABET = 128;
    private static final byte ESC = 0x1B;

    /**
     * The transition table, one lookup a byte: entry {@code [state * 128 + byte]} is the next
     * state's own row offset ({@code state * 128}), negative when that state ends a literal.
     */
    private final int[] table;

    /**
     * For {@link #groupsIn}, kept only when built by {@link #grouped}: the next state's number by
     * {@code [state * 128 + char]}, and the groups whose literal ends at each state.
     */
    private final int[] next;
    private final long[] groups;

    /** @param literals lower-case, ASCII-only literals */
    public AnchorAutomaton(List<String> literals) {
        this(List.of(literals), false);
    }

    /**
     * An automaton that also tells which groups of literals occur in a text ({@link #groupsIn}).
     *
     * @param groups at most 64 groups of lower-case, ASCII-only literals
     */
    public static AnchorAutomaton grouped(List<List<String>> groups) {
        if (groups.size() > Long.SIZE) {
            throw new IllegalArgumentException("at most " + Long.SIZE + " groups of literals");
        }
        return new AnchorAutomaton(groups, true);
    }

    private AnchorAutomaton(List<List<String>> literalGroups, boolean keepGroups) {
        List<int[]> gotoRows = new ArrayList<>();
        List<Long> out = new ArrayList<>();
        gotoRows.add(newRow());
        out.add(0L);
        for (int g = 0; g < literalGroups.size(); g++) {
            for (String lit : literalGroups.get(g)) {
                byte[] b = lit.getBytes(StandardCharsets.US_ASCII);
                int s = 0;
                for (byte x : b) {
                    int c = fold(x & 0xFF);
                    if (gotoRows.get(s)[c] < 0) {
                        gotoRows.get(s)[c] = gotoRows.size();
                        gotoRows.add(newRow());
                        out.add(0L);
                    }
                    s = gotoRows.get(s)[c];
                }
                out.set(s, out.get(s) | 1L << g);
            }
        }
        int states = gotoRows.size();
        int[] nextState = new int[states * ALPHABET];
        long[] ends = new long[states];
        int[] fail = new int[states];
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        for (int c = 0; c < ALPHABET; c++) {
            int t = gotoRows.get(0)[c];
            nextState[c] = t < 0 ? 0 : t;
            if (t > 0) {
                fail[t] = 0;
                queue.add(t);
            }
        }
        ends[0] = out.get(0);
        while (!queue.isEmpty()) {
            int s = queue.poll();
            ends[s] = out.get(s) | ends[fail[s]];
            for (int c = 0; c < ALPHABET; c++) {
                int t = gotoRows.get(s)[c];
                if (t < 0) {
                    nextState[s * ALPHABET + c] = nextState[fail[s] * ALPHABET + c];
                } else {
                    nextState[s * ALPHABET + c] = t;
                    fail[t] = nextState[fail[s] * ALPHABET + c];
                    queue.add(t);
                }
            }
        }
        table = new int[states * ALPHABET];
        for (int i = 0; i < table.length; i++) {
            int target = nextState[i];
            table[i] = ends[target] != 0 ? -1 : target * ALPHABET;
        }
        this.next = keepGroups ? nextState : null;
        this.groups = keepGroups ? ends : null;
    }

    private static int[] newRow() {
        int[] r = new int[ALPHABET];
        Arrays.fill(r, -1);
        return r;
    }

    private static int fold(int c) {
        return c >= 'A' && c <= 'Z' ? c + 32 : c;
    }

    /**
     * True when a literal occurs in {@code b[off, off+len)}, or when the line holds an escape
     * character (a terminal colour code could split a literal; such lines are decoded and checked).
     */
    public boolean find(byte[] b, int off, int len) {
        int row = 0;
        int end = off + len;
        for (int i = off; i < end; i++) {
            // a byte of a multi-byte character is negative: no literal crosses it
            row = next(row, b[i]);
            if (row < 0) {
                return true;
            }
        }
        return false;
    }

    /** {@link #find(byte[], int, int)} for decoded text. */
    public boolean find(CharSequence text) {
        int row = 0;
        int end = text.length();
        for (int i = 0; i < end; i++) {
            row = next(row, text.charAt(i));
            if (row < 0) {
                return true;
            }
        }
        return false;
    }

    /** The row after character {@code c}, negative when a literal ends there or {@code c} is an escape. */
    private int next(int row, int c) {
        if (c < 0 || c >= ALPHABET) {
            return 0;
        }
        if (c == ESC) {
            return -1;
        }
        return table[row + (c >= 'A' && c <= 'Z' ? c + 32 : c)];
    }

    /**
     * The groups (bit {@code g} for group {@code g}) that have a literal in {@code text}, ignoring
     * ASCII case. Only for an automaton built by {@link #grouped}.
     */
    public long groupsIn(CharSequence text) {
        long found = 0;
        int state = 0;
        int end = text.length();
        for (int i = 0; i < end; i++) {
            int c = text.charAt(i);
            if (c >= ALPHABET) {
                state = 0;
                continue;
            }
            state = next[state * ALPHABET + (c >= 'A' && c <= 'Z' ? c + 32 : c)];
            found |= groups[state];
        }
        return found;
    }
}
