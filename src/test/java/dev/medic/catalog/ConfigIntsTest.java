package dev.medic.catalog;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Where a config's integers lie in its text, and how a new value is written in the old one's notation. */
class ConfigIntsTest {
    private static ConfigInt only(String yaml) {
        List<ConfigInt> found = ConfigInts.find("c.yaml", yaml, false, Set.of("batch_size"));
        assertEquals(1, found.size(), found.toString());
        return found.get(0);
    }

    @Test
    void eachYaml11IntegerNotationIsReadAndWrittenBackInKind() {
        String[][] cases = {
                {"64", "32"}, {"+64", "+32"}, {"100_000", "50_000"}, {"0x40", "0x20"}, {"0x4A", "0x25"},
                {"0b1000000", "0b100000"}, {"0100", "040"}, {"1:04", "32"}, {"2:00", "1:00"}};
        for (String[] c : cases) {
            ConfigInt i = only("batch_size: " + c[0] + "\n");
            assertEquals(c[0], i.written());
            assertEquals(c[1], i.rewritten(i.value() / 2), c[0]);
            assertEquals(i.value() / 2, ConfigInt.parse(c[1]), c[0] + " -> " + c[1] + " reads as the half");
        }
    }

    @Test
    void positionsAreCharsEvenAfterCharactersOutsideTheBmp() {
        String yaml = "# 🚀 fast\r\nname: \"😀\"\r\nbatch_size: 64 # per GPU\r\n";
        ConfigInt i = only(yaml);
        assertEquals("64", yaml.substring(i.start(), i.end()));
        assertNull(i.refusal());
    }

    @Test
    void floatsStringsAndYaml11NonIntegersAreNotBatchSizes() {
        for (String v : List.of("1e5", "64.0", "\"64\"", "'64'", "auto", "0", "-8", "99999999999999999999", "yes")) {
            assertEquals(List.of(), ConfigInts.find("c.yaml", "batch_size: " + v + "\n", false, Set.of("batch_size")), v);
        }
    }

    @Test
    void jsonNumbersAreFoundWithTheirPaths() {
        String json = "{\"a\": {\"batch_size\":16}, \"list\": [{\"batch_size\": 1e3}], \"batch_size\": \"8\"}";
        List<ConfigInt> found = ConfigInts.find("c.json", json, true, Set.of("batch_size"));
        assertEquals(1, found.size(), found.toString());
        assertEquals("a.batch_size", found.get(0).path());
        assertEquals("16", json.substring(found.get(0).start(), found.get(0).end()));
    }

    @Test
    void aRecursiveAliasOrABrokenFileIsNotFollowed() {
        CatalogException e = assertThrows(CatalogException.class,
                () -> ConfigInts.find("c.yaml", "a: &a\n  batch_size: 8\n  self: *a\n", false, Set.of("batch_size")));
        assertTrue(e.getMessage().startsWith("c.yaml: a.self refers back to a node that holds it"), e.getMessage());
        assertThrows(CatalogException.class, () -> ConfigInts.find("c.yaml", "a: [\n", false, Set.of("batch_size")));
        assertThrows(CatalogException.class, () -> ConfigInts.find("c.json", "{\"a\": ", true, Set.of("batch_size")));
    }

    @Test
    void anAnchorNobodyUsesLeavesTheValueChangeableAndItsAnchorOutsideTheRange() {
        String yaml = "batch_size: &bs 64  # not aliased\n";
        ConfigInt i = only(yaml);
        assertEquals("64", yaml.substring(i.start(), i.end()));
        assertNull(i.refusal());
    }
}
