package dev.medic.catalog;

import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class SpellingTest {
    private static final Set<String> KEYS = Set.of("factor", "min", "flags", "keys", "env", "accumulation_flags");

    @Test
    void theNearestKeyWithinAFewEditsIsSuggested() {
        assertEquals("factor", Spelling.nearest("factr", KEYS));
        assertEquals("factor", Spelling.nearest("Factor", KEYS));
        assertEquals("accumulation_flags", Spelling.nearest("acumulation_flag", KEYS));
        assertEquals("keys", Spelling.nearest("key", KEYS));
    }

    @Test
    void aWordFarFromEveryKeyGetsNoSuggestion() {
        assertNull(Spelling.nearest("budget", KEYS));
        assertNull(Spelling.nearest("m", Set.of("min")));
        assertNull(Spelling.nearest("x", Set.of()));
    }

    @Test
    void distanceCountsInsertionsDeletionsAndSubstitutions() {
        assertEquals(0, Spelling.distance("min", "min"));
        assertEquals(1, Spelling.distance("factr", "factor"));
        assertEquals(3, Spelling.distance("kitten", "sitting"));
        assertEquals(3, Spelling.distance("", "abc"));
    }
}
