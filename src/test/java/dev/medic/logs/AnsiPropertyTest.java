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

/** Stripping terminal controls removes the escape sequences and the control characters, and nothing else. */
class AnsiPropertyTest {
    /** What a terminal takes as a control: C0 but tab and line ends, DEL, C1 (ESC, CSI and OSC start sequences). */
    static boolean isControl(char c) {
        return (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || (c >= 0x7f && c <= 0x9f);
    }

    private static char[] controls() {
        StringBuilder b = new StringBuilder();
        for (char c = 0; c <= 0x9f; c++) {
            if (isControl(c)) {
                b.append(c);
            }
        }
        return b.toString().toCharArray();
    }

    /** Plain text: anything but terminal controls, tab, line ends and non-ASCII included. */
    @Provide
    Arbitrary<String> plain() {
        return Arbitraries.strings().all().excludeChars(controls()).ofMaxLength(40);
    }

    /**
     * Well-formed sequences: CSI (colours, cursor moves), OSC (window titles) ended by BEL or ST,
     * and two-byte escapes, in 7-bit and 8-bit form; lone C1 controls, BEL, DEL and C0 controls.
     */
    @Provide
    Arbitrary<String> escape() {
        Arbitrary<String> csi8 = Combinators.combine(
                Arbitraries.strings().withChars("0123456789;:<=>?").ofMaxLength(8),
                Arbitraries.strings().withCharRange(' ', '/').ofMaxLength(2),
                Arbitraries.chars().range('@', '~')).as((params, mid, end) -> "\u009b" + params + mid + end);
        Arbitrary<String> osc8 = Combinators.combine(
                Arbitraries.strings().all().excludeChars('\u0007', '\u001b', '\u009c').ofMaxLength(20),
                Arbitraries.of("\u0007", "\u009c", "\u001b\\")).as((body, end) -> "\u009d" + body + end);
        // CSI and OSC open a sequence; ESC is a two-byte escape's first byte
        Arbitrary<String> lone = Arbitraries.of(controls()).filter(c -> c != '\u001b' && c != '\u009b' && c != '\u009d').map(String::valueOf);
        return Arbitraries.oneOf(sevenBit(), csi8, osc8, lone);
    }

    private Arbitrary<String> sevenBit() {
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
    void anyTextLosesOnlyPiecesThatStartWithAControl(@ForAll("anyText") String text) {
        String out = Ansi.strip(text);
        assertTrue(leftAfterRemovingEscapedPieces(text, out), () -> "'" + out + "' is not '" + text + "' less pieces that start with a control");
        assertTrue(out.chars().noneMatch(c -> isControl((char) c)), () -> "a control is left in '" + out + "'");
    }

    /** True when {@code out} is {@code text} with some pieces taken out, each piece starting at a control. */
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
                if (isControl(text.charAt(i))) {
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
        return Arbitraries.strings().withChars("\u001b\u001b[]\\;0123456789m\u0007 aZ@~_\u009b\u009d\u009c\u007f\u0085\t").ofMaxLength(30);
    }
}
