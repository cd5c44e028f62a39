package dev.medic.triage;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MaskedLineTest {
    private static String masked(String line) {
        return MaskedLine.of(line).text();
    }

    private static boolean finds(String regex, String line) {
        return Pattern.compile(regex).matcher(line).find();
    }

    @Test
    void masksNumbersAndPathsAsTheIssueShows() {
        assertEquals("RuntimeError: Expected tensor of shape [<n>, <n>] but got [<n>, <n>] in <path>",
                masked("RuntimeError: Expected tensor of shape [32, 128] but got [64, 128] in /home/u/train.py"));
    }

    @Test
    void masksEachKindOfValue() {
        assertEquals("KeyError: '<str>'", masked("KeyError: 'label'"));
        assertEquals("open \"<str>\" failed", masked("open \"/data/x y.bin\" failed"));
        assertEquals("can't read '<str>'", masked("can't read 'a.txt'"), "an apostrophe in a word opens no quote");
        assertEquals("at <time> and <time> <time>", masked("at 2026-12-04T16:59:29.021Z and 2026-12-04 16:59:29,123"));
        assertEquals("E<time> <time> <n> <path>:<n>] failed", masked("E0119 13:02:56.120000 8812 torch/distributed/elastic/api.py:833] failed"));
        assertEquals("connect to <ip> refused", masked("connect to 10.0.12.7:29500 refused"));
        assertEquals("run <id> ended", masked("run 20261204-165928-198c ended"));
        assertEquals("at <hex> (+<hex>) id <hex> sha <hex>",
                masked("at 0x7f3a1b88a2f1 (+0x48a2f1) id 123e4567-e89b-12d3-a456-426614174000 sha 9fceb02d0ae598e95dc970b74767f19372d61af8"));
        assertEquals("<path> <path> <path> <path> <path>", masked("/a/b ~/c ./d C:\\Users\\me\\x.py data/train/part-0.csv"));
        assertEquals("in <path> line <n>", masked("in train.py line 12"));
        assertEquals("[rank<n>]: cuda:<n> <n>x<n> loss <n> lr <n> step <n>", masked("[rank3]: cuda:0 128x3136 loss 1.5e-3 lr 0.001 step -1"));
        assertEquals("pid <n> killed", masked("pid 4242 killed"));
    }

    @Test
    void keepsNumbersThatArePartOfANameAndWordsThatLookLikeHex() {
        assertEquals("float32 vs fp16 on sm_90 with v1.2.3 Conv2d", masked("float32 vs fp16 on sm_90 with v1.2.3 Conv2d"));
        assertEquals("deadbeef accepted facade", masked("deadbeef accepted facade"));
        assertEquals("<n> it/s and/or N/A", masked("100 it/s and/or N/A"));
    }

    @Test
    void collapsesWhitespaceAndTrimsIt() {
        assertEquals("a b c", masked("  a \t b    c  "));
        assertEquals(masked("x  = 1"), masked("x = 2"));
    }

    @Test
    void linesThatDifferOnlyInMaskedValuesAreEqual() {
        String a = "RuntimeError: shape [3, 4] mismatch at /tmp/x1";
        String b = "RuntimeError: shape [5, 6] mismatch at /tmp/x2";
        assertEquals(masked(a), masked(b));
        assertNotEquals(masked(a), masked("ValueError: shape [3, 4] mismatch at /tmp/x1"));
    }

    @Test
    void thePlainPatternReadsWellAndTheGeneralOneTakesEveryValueOfAMask() {
        MaskedLine m = MaskedLine.of("RuntimeError: shape [32, 128] in /home/u/train.py");
        String plain = m.regex(0, 1000, true);
        assertEquals("RuntimeError: shape \\[\\d+, \\d+\\] in \\S+", plain);
        String general = m.regex(0, 1000, false);
        for (String line : List.of("RuntimeError: shape [32, 128] in /home/u/train.py", "RuntimeError:  shape [-1.5, 2e-3]\tin /x")) {
            assertTrue(finds(general, line), general + " / " + line);
        }
        assertTrue(!finds(plain, "RuntimeError: shape [-1.5, 2e-3] in /x"), "the plain pattern keeps to whole numbers");
    }

    @Test
    void escapesRegexCharactersAndWhatYamlWouldNotKeep() {
        String line = "a.b(c)[d]{e}*+?^$|\\ \u2028 x";
        MaskedLine m = MaskedLine.of(line);
        String regex = m.regex(0, 1000, true);
        assertTrue(finds(regex, line), regex);
        assertTrue(regex.contains("\\x{2028}"), regex);
    }

    @Test
    void aLongLineGivesAPatternOfBoundedLengthThatStillFindsIt() {
        String line = "ValueError: " + "value 12 is bad, ".repeat(200);
        MaskedLine m = MaskedLine.of(line);
        assertTrue(m.text().length() < line.length() / 2, "cut before masking");
        String regex = m.regex(0, 400, true);
        assertTrue(regex.length() <= 400, regex);
        assertTrue(finds(regex, line));
        assertTrue(!regex.endsWith(" "), "no trailing space: " + regex);
    }
}
