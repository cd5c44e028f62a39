package dev.medic.facts;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A pattern that backtracks catastrophically gives up on the line instead of stalling the supervisor. */
class SignatureBudgetTest {
    private static Signature signature(String regex) {
        return new Signature("slow_one", 0, "nested", Pattern.compile(regex), null, Set.of(), null, List.of(), false, false);
    }

    @Test
    void catastrophicBacktrackingIsCutOffAndReported() {
        // the linear filter drops the word boundary, so it passes this line and the regex has to decide
        Signature s = signature("(.*x){12}y\\b");
        String line = "x".repeat(40) + "yz";
        // java.util.regex memoizes nested loops, but not a counted group: this is polynomial of degree 12
        boolean matched = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> s.matchesText(line));
        assertFalse(matched);
        assertEquals(1, s.getGaveUp());
        assertNull(assertTimeoutPreemptively(Duration.ofSeconds(60), () -> s.group(line, 1)));
        String warning = s.takeGaveUpWarning();
        assertTrue(warning.contains("slow_one.signatures[0] (nested) gave up on 2 line(s)"), warning);
        assertTrue(warning.contains("42 characters"), warning);
        assertNull(s.takeGaveUpWarning(), "each give-up is reported once");
    }

    @Test
    void ordinaryPatternsStillMatchLongLines() {
        Signature s = signature("CUDA out of memory\\. Tried to allocate ([\\d.]+) GiB");
        String line = "w".repeat(64 * 1024 - 60) + " CUDA out of memory. Tried to allocate 2.50 GiB";
        assertTrue(s.matchesText(line));
        assertEquals(2.5, s.number(line, 1));
        assertTrue(signature(".*memory.*").matchesText(line), "a greedy scan of a 64 KiB line is within budget");
        assertEquals(0, s.getGaveUp());
        assertNull(s.takeGaveUpWarning());
    }
}
