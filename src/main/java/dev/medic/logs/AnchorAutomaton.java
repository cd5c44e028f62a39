package dev.medic.logs;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Finds whether any of a set of ASCII literals occurs in a line of raw bytes, ignoring ASCII case,
 * in one pass (Aho-Corasick compiled to a table: one lookup per byte). Most lines match nothing,
 * so the screen rejects them without decoding them to text. It also tells which literals
 * ({@link #markPresent}) or which groups of them ({@link #groupsIn}) a text holds, in one pass.
 */
public final class AnchorAutomaton {
    private static final int ALPHABET = 128;
    private static final byte ESC = 0x1B;

    /**
     * The transition table, one lookup a byte: entry {@code [state * 128 + byte]} is the next
     * state's own row offset ({@code state * 128}), or its complement ({@code ~offset}, negative)
     * when that state ends a literal.
     */
    private final int[] table;
    /** For each state, the literals (indexes in the order given, groups one after another) that end there. */
    private final int[][] ending;
    /** For each state, the groups (bit g for group g) of the literals that end there. */
    private final long[] groups;

    /** @param literals lower-case, ASCII-only literals */
    public AnchorAutomaton(List<String> literals) {
        this(literals, new int[literals.size()]);
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
        List<String> literals = new ArrayList<>();
        List<Integer> groupOf = new ArrayList<>();
        for (int g = 0; g < groups.size(); g++) {
            for (String lit : groups.get(g)) {
                literals.add(lit);
                groupOf.add(g);
            }
        }
        return new AnchorAutomaton(literals, groupOf.stream().mapToInt(Integer::intValue).toArray());
    }

    /** @param groupOf the group of each literal */
    private AnchorAutomaton(List<String> literals, int[] groupOf) {
        List<int[]> gotoRows = new ArrayList<>();
        List<List<Integer>> ends = new ArrayList<>();
        List<Long> own = new ArrayList<>();
        gotoRows.add(newRow());
        ends.add(new ArrayList<>());
        own.add(0L);
        for (int id = 0; id < literals.size(); id++) {
            int s = 0;
            for (byte x : literals.get(id).getBytes(StandardCharsets.US_ASCII)) {
                int c = fold(x & 0xFF);
                if (gotoRows.get(s)[c] < 0) {
                    gotoRows.get(s)[c] = gotoRows.size();
                    gotoRows.add(newRow());
                    ends.add(new ArrayList<>());
                    own.add(0L);
                }
                s = gotoRows.get(s)[c];
            }
            ends.get(s).add(id);
            own.set(s, own.get(s) | 1L << groupOf[id]);
        }
        int states = gotoRows.size();
        int[] next = new int[states * ALPHABET];
        long[] groupsAt = new long[states];
        int[] fail = new int[states];
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        for (int c = 0; c < ALPHABET; c++) {
            int t = gotoRows.get(0)[c];
            next[c] = t < 0 ? 0 : t;
            if (t > 0) {
                fail[t] = 0;
                queue.add(t);
            }
        }
        groupsAt[0] = own.get(0);
        while (!queue.isEmpty()) {
            int s = queue.poll();
            groupsAt[s] = own.get(s) | groupsAt[fail[s]];
            // breadth first: the fail state's list is complete by now
            ends.get(s).addAll(ends.get(fail[s]));
            for (int c = 0; c < ALPHABET; c++) {
                int t = gotoRows.get(s)[c];
                if (t < 0) {
                    next[s * ALPHABET + c] = next[fail[s] * ALPHABET + c];
                } else {
                    next[s * ALPHABET + c] = t;
                    fail[t] = next[fail[s] * ALPHABET + c];
                    queue.add(t);
                }
            }
        }
        table = new int[states * ALPHABET];
        for (int i = 0; i < table.length; i++) {
            // upper-case letters go where their lower case goes: the scans need not fold
            int target = next[i - i % ALPHABET + fold(i % ALPHABET)];
            table[i] = ends.get(target).isEmpty() ? target * ALPHABET : ~(target * ALPHABET);
        }
        for (int s = 0; s < states; s++) {
            // an escape character stops the byte scan (a colour code could split a literal); to the
            // other scans it is a step to the start state, which ends no literal (~0)
            table[s * ALPHABET + ESC] = ~0;
        }
        ending = new int[states][];
        for (int s = 0; s < states; s++) {
            ending[s] = ends.get(s).stream().mapToInt(Integer::intValue).toArray();
        }
        groups = groupsAt;
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
            int c = b[i];
            if (c < 0) {
                // a byte of a multi-byte character: no literal crosses it
                row = 0;
                continue;
            }
            row = table[row + c];
            if (row < 0) {
                return true; // a literal ends here, or an escape character
            }
        }
        return false;
    }

    /**
     * Where {@link #find(byte[], int, int)} would say true, or where the line holds a byte pair
     * that {@code pairs} marks (a bit for each {@code first << 8 | second}, the first byte outside
     * ASCII): the index of that byte, or -1 when there is neither. One pass for both screens.
     */
    public int firstHit(byte[] b, int off, int len, long[] pairs) {
        int row = 0;
        int end = off + len;
        for (int i = off; i < end; i++) {
            int c = b[i];
            if (c < 0) {
                if (i + 1 < end) {
                    int pair = (c & 0xFF) << 8 | (b[i + 1] & 0xFF);
                    if ((pairs[pair >>> 6] & 1L << pair) != 0) {
                        return i;
                    }
                }
                row = 0;
                continue;
            }
            row = table[row + c];
            if (row < 0) {
                return i;
            }
        }
        return -1;
    }

    /**
     * {@link #markPresent(CharSequence, boolean[])} for a line of ASCII bytes without escape
     * characters; returns whether any literal was marked.
     */
    boolean markPresent(byte[] b, int off, int len, boolean[] present) {
        int row = 0;
        boolean any = false;
        for (int i = off, end = off + len; i < end; i++) {
            int t = table[row + b[i]];
            if (t < 0) {
                row = ~t;
                for (int id : ending[row / ALPHABET]) {
                    present[id] = true;
                    any = true;
                }
            } else {
                row = t;
            }
        }
        return any;
    }

    /** {@link #find(byte[], int, int)} for decoded text. */
    public boolean find(CharSequence text) {
        int row = 0;
        for (int i = 0; i < text.length(); i++) {
            int c = text.charAt(i);
            if (c >= ALPHABET) {
                row = 0;
                continue;
            }
            row = table[row + c];
            if (row < 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * Marks in {@code present} (indexed as the constructor's list) every literal that occurs in
     * {@code text}, ignoring ASCII case: one pass, however many literals there are. A literal is
     * marked exactly when {@code text.toLowerCase(Locale.ROOT).contains(literal)}, for the
     * ASCII literals this automaton holds. Returns whether any was marked.
     */
    boolean markPresent(CharSequence text, boolean[] present) {
        int row = 0;
        boolean any = false;
        for (int i = 0; i < text.length(); i++) {
            int c = text.charAt(i);
            if (c >= ALPHABET) {
                row = 0; // no ASCII literal crosses a character outside ASCII
                continue;
            }
            int t = table[row + c];
            if (t < 0) {
                row = ~t;
                for (int id : ending[row / ALPHABET]) {
                    present[id] = true;
                    any = true;
                }
            } else {
                row = t;
            }
        }
        return any;
    }

    /**
     * The groups (bit {@code g} for group {@code g}) that have a literal in {@code text}, ignoring
     * ASCII case; for an automaton built by {@link #grouped}.
     */
    public long groupsIn(CharSequence text) {
        long found = 0;
        int row = 0;
        for (int i = 0; i < text.length(); i++) {
            int c = text.charAt(i);
            if (c >= ALPHABET) {
                row = 0;
                continue;
            }
            int t = table[row + c];
            if (t < 0) {
                row = ~t;
                found |= groups[row / ALPHABET];
            } else {
                row = t;
            }
        }
        return found;
    }
}
