package dev.medic.logs;

import dev.medic.Fixtures;
import dev.medic.facts.Signature;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The screen may only ever save work: it must pass every line a signature matches. Checked on
 * the shipped catalog with lines sampled from its own patterns (then varied in case, padded,
 * coloured), and the byte automaton against a plain substring search.
 */
class ScreenPropertyTest {
    private static final List<Signature> ALL = Fixtures.defaultCatalog().signatures();
    private static final List<Signature> SIGNATURES = ALL.stream().filter(Signature::hasPattern).toList();
    private static final Screen SCREEN = new Screen(ALL);

    /** A line as a child prints it: the raw bytes, and the stream. */
    record Line(String text, String stream) {
        byte[] bytes() {
            return text.getBytes(StandardCharsets.UTF_8);
        }
    }

    @Provide
    Arbitrary<Line> catalogLines() {
        return Combinators.combine(LogBytes.catalogLines(SIGNATURES), Arbitraries.of("stdout", "stderr")).as(Line::new);
    }

    @Property(tries = 3000)
    void theScreenPassesEveryLineASignatureMatches(@ForAll("catalogLines") Line line) {
        byte[] raw = line.bytes();
        // as AttemptOutput reads a line: screened raw, then decoded and stripped of colour
        String text = Ansi.strip(new String(raw, StandardCharsets.UTF_8));
        List<Signature> expected = new ArrayList<>();
        for (Signature s : SIGNATURES) {
            if (s.appliesToStream(line.stream()) && s.matchesText(text)) {
                expected.add(s);
            }
        }
        List<Signature> got = SCREEN.match(text, line.stream());
        assertEquals(new HashSet<>(expected), new HashSet<>(got), () -> "signatures matching '" + text + "' on " + line.stream());
        if (!expected.isEmpty()) {
            assertTrue(SCREEN.mayMatch(raw, 0, raw.length), () -> "the byte screen rejects '" + line.text() + "', which " + expected + " match");
        }
    }

    @Provide
    Arbitrary<List<String>> literals() {
        return Arbitraries.strings().withChars("abc:= ").ofMinLength(1).ofMaxLength(5).list().ofMinSize(1).ofMaxSize(6);
    }

    @Provide
    Arbitrary<byte[]> haystack() {
        Arbitrary<Byte> b = Arbitraries.frequencyOf(
                Tuple.of(10, Arbitraries.of((byte) 'a', (byte) 'A', (byte) 'b', (byte) 'B', (byte) 'c', (byte) 'C', (byte) ':', (byte) '=', (byte) ' ')),
                Tuple.of(1, Arbitraries.of((byte) 0x1b, (byte) 0xc3, (byte) 0xa1, (byte) 0x80, (byte) 0xff, (byte) 0, (byte) 'd')));
        return b.array(byte[].class).ofMaxSize(60);
    }

    @Property(tries = 1000)
    void theAutomatonFindsWhatASubstringSearchFinds(@ForAll("literals") List<String> literals, @ForAll("haystack") byte[] line) {
        String folded = asciiLowerCase(new String(line, StandardCharsets.ISO_8859_1));
        boolean expected = folded.indexOf('\u001b') >= 0 || literals.stream().anyMatch(folded::contains);
        // the line sits between bytes that would match: the search must keep to its slice
        byte[] buf = new byte[line.length + 12];
        java.util.Arrays.fill(buf, (byte) 'a');
        System.arraycopy(line, 0, buf, 6, line.length);
        assertEquals(expected, new AnchorAutomaton(literals).find(buf, 6, line.length), () -> "literals " + literals + " in '" + folded + "'");
    }

    private static String asciiLowerCase(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            b.append(c >= 'A' && c <= 'Z' ? (char) (c + 32) : c);
        }
        return b.toString();
    }
}
