package dev.medic.logs;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AnchorAutomatonTest {
    /** Overlapping literals, a prefix of another, one inside another, repeated characters. */
    private static final String LITERAL_CHARS = "abnl :'[2";
    private static final String TEXT_CHARS = "abnlAN :'[2\u00e9\u0130\u212a\u001b";

    @Test
    void marksExactlyTheLiteralsTheLowerCasedTextContains() {
        Random random = new Random(5);
        for (int round = 0; round < 300; round++) {
            List<String> literals = randomLiterals(random);
            AnchorAutomaton automaton = new AnchorAutomaton(literals);
            for (int j = 0; j < 100; j++) {
                String lower = randomText(random, random.nextInt(25)).toLowerCase(Locale.ROOT);
                boolean[] present = new boolean[literals.size()];
                automaton.markPresent(lower, present);
                for (int id = 0; id < literals.size(); id++) {
                    assertEquals(lower.contains(literals.get(id)), present[id], literals + " in \"" + lower + "\"");
                }
            }
        }
    }

    @Test
    void findsTheRawLinesThatHoldALiteralOrAnEscape() {
        Random random = new Random(9);
        for (int round = 0; round < 300; round++) {
            List<String> literals = randomLiterals(random);
            AnchorAutomaton automaton = new AnchorAutomaton(literals);
            for (int j = 0; j < 100; j++) {
                String text = randomText(random, random.nextInt(25));
                byte[] b = ("[" + text + "]").getBytes(StandardCharsets.UTF_8);
                // ASCII case folded only, and a multi-byte character never part of a literal
                String folded = new String(b, 1, b.length - 2, StandardCharsets.ISO_8859_1).chars()
                        .map(c -> c >= 'A' && c <= 'Z' ? c + 32 : c)
                        .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
                boolean expected = folded.indexOf('\u001b') >= 0 || literals.stream().anyMatch(folded::contains);
                assertEquals(expected, automaton.find(b, 1, b.length - 2), literals + " in \"" + text + "\"");
            }
        }
        assertTrue(new AnchorAutomaton(List.of("cuda out of memory")).find(
                "CUDA Out Of Memory".getBytes(StandardCharsets.US_ASCII), 0, 18));
    }

    private static boolean findBytes(AnchorAutomaton a, String line) {
        byte[] b = line.getBytes(StandardCharsets.UTF_8);
        return a.find(b, 0, b.length);
    }

    @Test
    void textAndBytesAgreeIgnoringAsciiCase() {
        AnchorAutomaton a = new AnchorAutomaton(List.of("it/s", "loss"));
        for (String line : List.of("5.93IT/S]", "train_Loss=1", "█▌ 450/1000", "no match here", "lo█ss")) {
            assertEquals(findBytes(a, line), a.find(line), line);
        }
        assertTrue(a.find("Epoch 3: 11.0it/s"));
        assertFalse(a.find("lo█ss"), "no literal crosses a non-ASCII character");
    }

    @Test
    void groupsTellWhichLiteralsOccur() {
        AnchorAutomaton a = AnchorAutomaton.grouped(List.of(List.of("%|"), List.of("loss", "'epoch'"), List.of("iteration")));
        assertEquals(0b011, a.groupsIn("Epoch 3: 45%|███ 450/1000 [00:40, loss=0.4]"));
        assertEquals(0b010, a.groupsIn("{'EPOCH': 1.0}"));
        assertEquals(0b110, a.groupsIn("iteration 5 | lm loss: 4.1"));
        assertEquals(0, a.groupsIn("nothing to see"));
        assertTrue(findBytes(a, "iteration 5"), "the byte screen finds every group's literals");
        assertThrows(IllegalArgumentException.class,
                () -> AnchorAutomaton.grouped(java.util.Collections.nCopies(65, List.of("x"))));
    }

    private static List<String> randomLiterals(Random random) {
        List<String> literals = new ArrayList<>();
        int count = 1 + random.nextInt(6);
        for (int i = 0; i < count; i++) {
            StringBuilder b = new StringBuilder();
            int len = 1 + random.nextInt(4);
            for (int k = 0; k < len; k++) {
                b.append(LITERAL_CHARS.charAt(random.nextInt(LITERAL_CHARS.length())));
            }
            literals.add(b.toString());
        }
        return literals;
    }

    private static String randomText(Random random, int length) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < length; i++) {
            b.append(TEXT_CHARS.charAt(random.nextInt(TEXT_CHARS.length())));
        }
        return b.toString();
    }
}
