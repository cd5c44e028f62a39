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
final class AnchorAutomaton {
    private static final int ALPHABET = 128;
    private static final byte ESC = 0x1B;

    /**
     * The transition table, one lookup a byte: entry {@code [state * 128 + byte]} is the next
     * state's own row offset ({@code state * 128}), negative when that state ends a literal.
     */
    private final int[] table;

    /** @param literals lower-case, ASCII-only literals */
    AnchorAutomaton(List<String> literals) {
        List<int[]> gotoRows = new ArrayList<>();
        List<Boolean> out = new ArrayList<>();
        gotoRows.add(newRow());
        out.add(false);
        for (String lit : literals) {
            byte[] b = lit.getBytes(StandardCharsets.US_ASCII);
            int s = 0;
            for (byte x : b) {
                int c = fold(x & 0xFF);
                if (gotoRows.get(s)[c] < 0) {
                    gotoRows.get(s)[c] = gotoRows.size();
                    gotoRows.add(newRow());
                    out.add(false);
                }
                s = gotoRows.get(s)[c];
            }
            out.set(s, true);
        }
        int states = gotoRows.size();
        int[] next = new int[states * ALPHABET];
        boolean[] accepts = new boolean[states];
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
        accepts[0] = out.get(0);
        while (!queue.isEmpty()) {
            int s = queue.poll();
            accepts[s] = out.get(s) || accepts[fail[s]];
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
            int target = next[i];
            table[i] = accepts[target] ? -1 : target * ALPHABET;
        }
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
    boolean find(byte[] b, int off, int len) {
        int row = 0;
        int end = off + len;
        for (int i = off; i < end; i++) {
            int c = b[i];
            if (c < 0) {
                // a byte of a multi-byte character: no literal crosses it
                row = 0;
                continue;
            }
            if (c == ESC) {
                return true;
            }
            if (c >= 'A' && c <= 'Z') {
                c += 32;
            }
            row = table[row + c];
            if (row < 0) {
                return true;
            }
        }
        return false;
    }
}
