package dev.medic.logs;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AnchorAutomatonTest {
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
}
