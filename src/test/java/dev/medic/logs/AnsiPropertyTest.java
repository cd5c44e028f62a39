package dev.medic.logs;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Stripping terminal escapes removes the escapes and nothing else. */
class AnsiPropertyTest {
    /** Plain text: anything but ESC, line ends and controls included. */
    @Provide
    Arbitrary<String> plain() {
        return Arbitraries.strings().all().excludeChars('\u001b').ofMaxLength(40);
    }

    /** Well-formed sequences: CSI (colours, cursor moves), OSC (window titles) ended by BEL or ST, and two-byte escapes. */
    @Provide
    Arbitrary<String> escape() {
        Arbitrary<String> csi = Combinators.combine(
                Arbitraries.strings().withChars("0123456789;:<=>?").ofMaxLength(8),
                Arbitraries.strings().withCharRange(' ', '/').ofMaxLength(2),
                Arbitraries.chars().range('@', '~')).as((params, mid, end) -> "\u001b[" + params + mid + end);
        Arbitrary<String> osc = Combinators.combine(
                Arbitraries.strings().all().excludeChars('\u0007', '\u001b').ofMaxLength(20),
                Arbitraries.of("\u0007", "\u001b\\")).as((body, end) -> "\u001b]" + body + end);
        // ']' would open an OSC, '[' a CSI
        Arbitrary<String> twoByte = Arbitraries.chars().range('@', '_').filter(c -> c != '[' && c != ']').map(c -> "\u001b" + c);
        return Arbitraries.oneOf(csi, osc, twoByte);
    }

    @Property(tries = 500)
    void textWithoutEscapesIsUnchanged(@ForAll("plain") String text) {
        assertEquals(text, Ansi.strip(text));
    }

    @Property(tries = 500)
    void escapesBetweenPlainTextAreRemovedAndTheTextKept(@ForAll("plain") String first,
                                                        @ForAll("pieces") List<Tuple.Tuple2<String, String>> pieces) {
        StringBuilder coloured = new StringBuilder(first);
        StringBuilder expected = new StringBuilder(first);
        for (Tuple.Tuple2<String, String> p : pieces) {
            coloured.append(p.get1()).append(p.get2());
            expected.append(p.get2());
        }
        assertEquals(expected.toString(), Ansi.strip(coloured.toString()));
    }

    @Provide
    Arbitrary<List<Tuple.Tuple2<String, String>>> pieces() {
        return Combinators.combine(escape(), plain()).as(Tuple::of).list().ofMaxSize(6);
    }

    @Property(tries = 500)
    void anyTextLosesOnlyPiecesThatStartWithAnEscape(@ForAll("anyText") String text) {
        String out = Ansi.strip(text);
        assertTrue(leftAfterRemovingEscapedPieces(text, out), () -> "'" + out + "' is not '" + text + "' less pieces that start with ESC");
    }

    /** True when {@code out} is {@code text} with some pieces taken out, each piece starting at an ESC. */
    private static boolean leftAfterRemovingEscapedPieces(String text, String out) {
        // reach[i][j]: text[0, i) can become out[0, j)
        boolean[][] reach = new boolean[text.length() + 1][out.length() + 1];
        reach[0][0] = true;
        for (int i = 0; i < text.length(); i++) {
            for (int j = 0; j <= out.length(); j++) {
                if (!reach[i][j]) {
                    continue;
                }
                if (j < out.length() && text.charAt(i) == out.charAt(j)) {
                    reach[i + 1][j + 1] = true;
                }
                if (text.charAt(i) == '\u001b') {
                    for (int k = i + 1; k <= text.length(); k++) {
                        reach[k][j] = true;
                    }
                }
            }
        }
        return reach[text.length()][out.length()];
    }

    @Provide
    Arbitrary<String> anyText() {
        return Arbitraries.strings().withChars("\u001b\u001b[]\\;0123456789m\u0007 aZ@~_").ofMaxLength(30);
    }
}
