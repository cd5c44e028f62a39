package dev.medic.logs;

import dev.medic.facts.Signature;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScreenTest {
    private static Signature sig(String pattern, List<String> anchors) {
        return new Signature("host_oom", 0, "", Pattern.compile(pattern), null, Set.of(), null, anchors, false, false);
    }

    private static boolean passes(Screen s, String line) {
        byte[] b = line.getBytes(StandardCharsets.UTF_8);
        return s.mayMatch(b, 0, b.length);
    }

    @Test
    void anchorsOutsideAsciiAreFoundByteForByteAndAProgressBarsBlocksDoNotCostAMatch() {
        Signature killed = sig("^(Getötet|已杀死|KILLED HERE)$", List.of("tötet", "已杀死", "killed here"));
        Screen s = new Screen(List.of(killed, sig("CUDA out of memory", List.of("cuda out of memory"))));
        assertTrue(passes(s, "Getötet"));
        assertTrue(passes(s, "已杀死"));
        assertTrue(passes(s, "KILLED HERE"), "an ASCII anchor of the same signature folds case");
        assertFalse(passes(s, "Loading checkpoint shards:  50%|█████     | 4/8 [02:10<02:22, 35.73s/it]"));
        assertFalse(passes(s, "Гетötеt nothing"), "a part of an anchor is not the anchor");
        assertEquals(List.of(killed), s.match("Getötet", null));
        assertEquals(List.of(killed), s.match("KILLED HERE", null));
        assertEquals(List.of(), s.match("Die Datei wurde getötet, sagt niemand", null), "the pattern still decides");
        assertTrue(s.anchors().containsAll(List.of("tötet", "已杀死", "killed here", "cuda out of memory")));
    }
}
