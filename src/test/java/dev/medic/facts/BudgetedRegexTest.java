package dev.medic.facts;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BudgetedRegexTest {
    @Test
    void aPatternThatStartsWithACaretIsTriedAtTheStartOnlyAndFindsTheSame() {
        List<String> anchored = List.of("^step", "(?i)^step", "^(?:a|step)", "^\\s*[|]?step", "(?i)(?s)^step\\|x");
        List<String> notAnchored = List.of("step", "^a|step", "(?m)^step", "x?^step", "\\^step");
        for (String r : anchored) {
            assertTrue(BudgetedRegex.startsAnchored(Pattern.compile(r)), r);
        }
        for (String r : notAnchored) {
            assertFalse(BudgetedRegex.startsAnchored(Pattern.compile(r)), r);
        }
        assertFalse(BudgetedRegex.startsAnchored(Pattern.compile("^step", Pattern.MULTILINE)));
        for (String r : List.of("^step", "(?i)^step", "^a|step", "(?m)^step", "^(?:a|step)")) {
            BudgetedRegex b = new BudgetedRegex(Pattern.compile(r));
            for (String line : List.of("step 1", "a step", "x\nstep", "STEP", "")) {
                assertEquals(Pattern.compile(r).matcher(line).find(), b.find(line) != null, r + " on " + line);
            }
        }
    }

    @Test
    void aRepeatedGroupThatWouldOverflowTheStackGivesUpOnTheLine() {
        // java.util.regex recurses once a repetition of a group: this line is far deeper than a thread's stack
        // the linear filter cannot see the word boundary, so it passes the line on to the regex
        BudgetedRegex r = BudgetedRegex.filtered(Pattern.compile("(?:a|b)*c\\b"));
        assertNull(r.find("a".repeat(500_000) + "cd"));
        assertEquals(1, r.gaveUp());
        String warning = r.takeGaveUpWarning("test.pattern");
        assertTrue(warning.startsWith("catalog pattern test.pattern gave up on 1 line(s) (the last 500002 characters long)"), warning);
        assertNull(r.takeGaveUpWarning("test.pattern"));
        assertTrue(r.find("abc") != null, "the pattern still works on ordinary lines");
        assertNull(r.find("a".repeat(500_000)), "a line without a c is rejected before the regex runs");
        assertEquals(1, r.gaveUp());
        // without the filter (a progress pattern, which sees only lines of its kind) the regex runs and gives up
        BudgetedRegex plain = new BudgetedRegex(Pattern.compile("(?:a|b)*c\\b"));
        assertFalse(plain.hasFilter());
        assertNull(plain.find("a".repeat(500_000)));
        assertEquals(1, plain.gaveUp());
    }
}
