package dev.medic.sweep;

import dev.medic.MedicException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TrialSourceTest {
    @TempDir
    Path tmp;

    @Test
    void gridsExpandAsAProductInTheOrderGiven() {
        List<Trial> t = TrialSource.grid(List.of("lr=1e-3,1e-4", "bs=32,64"));
        assertEquals(4, t.size());
        assertEquals("lr=1e-3 bs=32", t.get(0).label());
        assertEquals("lr=1e-4 bs=64", t.get(3).label());
        assertEquals(4, t.get(3).number());
    }

    @Test
    void trialsFromCsvAndJsonLines() throws Exception {
        Path csv = Files.writeString(tmp.resolve("t.csv"), "lr,bs\n0.1,32\n0.01,64\n");
        assertEquals(Map.of("lr", "0.01", "bs", "64"), TrialSource.file(csv).get(1).params());
        Path jsonl = Files.writeString(tmp.resolve("t.jsonl"), "{\"lr\": 0.1, \"name\": \"a b\"}\n\n{\"lr\": 0.2, \"name\": \"c\"}\n");
        List<Trial> t = TrialSource.file(jsonl);
        assertEquals(2, t.size());
        assertEquals("0.1", t.get(0).params().get("lr"));
        assertEquals("a b", t.get(0).params().get("name"));
        assertThrows(MedicException.class, () -> TrialSource.file(Files.writeString(tmp.resolve("bad.csv"), "lr,bs\n0.1\n")));
    }

    @Test
    void placeholdersAreFilledInsideTheirArgumentOnly() {
        Trial t = new Trial(1, Map.of("lr", "0.1; rm -rf /", "bs", "32"));
        assertEquals(List.of("python", "train.py", "--lr", "0.1; rm -rf /", "--tag=bs32"),
                TrialSource.substitute(List.of("python", "train.py", "--lr", "{lr}", "--tag=bs{bs}"), t));
        MedicException e = assertThrows(MedicException.class, () -> TrialSource.substitute(List.of("{epochs}"), t));
        assertEquals("the command uses {epochs} but trial 1 has no such parameter (it has lr, bs)".length() > 0, true);
        assertEquals(true, e.getMessage().startsWith("the command uses {epochs} but trial 1 has no such parameter"));
    }
}
